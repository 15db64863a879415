"use client";
// The Rules page: every auto-scheduling rule, switch, edit, delete, and a "what would happen" preview.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState } from "@/components/ui/feedback";
import { Field, Input, Select, Options } from "@/components/ui/form";
import { api, ApiError } from "@/lib/client/api";
import { PRIORITIES } from "@/lib/queue/schema";
import type { PlannedFollowUp, ScheduleRuleDto } from "@/lib/scheduling/schema";
import { RuleForm, verdictLabel } from "./rule-form";
import { useConfirm } from "@/components/ui/confirm";

const rulesKey = ["schedule-rules"] as const;

function describeAssignee(a: string | null | undefined): string {
  if (!a) return "routed automatically";
  if (a === "{{agent}}") return "the agent that finished";
  if (a === "{{parent.agent}}") return "the agent of its parent";
  return a;
}

function Preview({ agents }: { agents: string[] }) {
  const [input, setInput] = useState({
    type: "research",
    agent: agents.includes("claude") ? "claude" : (agents[0] ?? ""),
    success: true,
    title: "Research distributed databases",
    priority: "normal",
    chainDepth: 0,
  });
  const preview = useMutation({
    mutationFn: () => api<{ autoScheduling: boolean; followUps: PlannedFollowUp[] }>("/rules/preview", { body: input }),
  });
  return (
    <Card>
      <CardHeader
        title="What would happen"
        description="A sample completion and the follow-ups the rules would create. Nothing is created."
      />
      <CardBody>
        <form
          className="grid gap-3 sm:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            preview.mutate();
          }}
        >
          <Field label="Title" className="sm:col-span-3">
            {(p) => (
              <Input {...p} value={input.title} onChange={(e) => setInput({ ...input, title: e.target.value })} />
            )}
          </Field>
          <Field label="Finished type">
            {(p) => <Input {...p} value={input.type} onChange={(e) => setInput({ ...input, type: e.target.value })} />}
          </Field>
          <Field label="Finished by">
            {(p) => (
              <Select {...p} value={input.agent} onChange={(e) => setInput({ ...input, agent: e.target.value })}>
                <Options values={agents} />
              </Select>
            )}
          </Field>
          <Field label="Result">
            {(p) => (
              <Select
                {...p}
                value={input.success ? "success" : "failure"}
                onChange={(e) => setInput({ ...input, success: e.target.value === "success" })}
              >
                <option value="success">success</option>
                <option value="failure">failure</option>
              </Select>
            )}
          </Field>
          <Field label="Priority">
            {(p) => (
              <Select {...p} value={input.priority} onChange={(e) => setInput({ ...input, priority: e.target.value })}>
                <Options values={PRIORITIES} />
              </Select>
            )}
          </Field>
          <Field label="Chain depth">
            {(p) => (
              <Input
                {...p}
                type="number"
                min={0}
                max={50}
                value={input.chainDepth}
                onChange={(e) => setInput({ ...input, chainDepth: Number(e.target.value) })}
              />
            )}
          </Field>
          <div className="flex items-end">
            <Button type="submit" variant="secondary" loading={preview.isPending}>
              Preview
            </Button>
          </div>
        </form>
        {preview.error && (
          <Alert tone="error" className="mt-4">
            {preview.error instanceof ApiError ? preview.error.message : String(preview.error)}
          </Alert>
        )}
        {preview.data && (
          <div className="mt-4 space-y-2" data-testid="preview-result">
            {!preview.data.autoScheduling && (
              <Alert tone="warning">
                Auto-scheduling is off: today this completion would create nothing. With it on:
              </Alert>
            )}
            {preview.data.followUps.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No rule matches this completion.</p>
            ) : (
              <ul className="space-y-2">
                {preview.data.followUps.map((f, i) => (
                  <li key={i} className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
                    <p className="font-medium">{f.title}</p>
                    <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                      {f.type} · {describeAssignee(f.assignee)} · {f.priority} · depth {f.chainDepth} · by “{f.ruleName}
                      ”
                    </p>
                    {f.stoppedByDepth && (
                      <Badge tone="red" className="mt-1">
                        stopped: beyond the rule’s max chain depth
                      </Badge>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </CardBody>
    </Card>
  );
}

export function RulesView({
  initial,
  agents,
  canEdit,
}: {
  initial: ScheduleRuleDto[];
  agents: string[];
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const [confirmDialog, ask] = useConfirm();
  const rules = useQuery({
    queryKey: rulesKey,
    queryFn: () => api<{ items: ScheduleRuleDto[] }>("/rules").then((r) => r.items),
    initialData: initial,
  });
  const [editing, setEditing] = useState<ScheduleRuleDto | "new" | null>(null);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: rulesKey });
  const save = useMutation({
    mutationFn: (body: unknown) =>
      editing && editing !== "new"
        ? api<ScheduleRuleDto>(`/rules/${editing.id}`, { method: "PATCH", body })
        : api<ScheduleRuleDto>("/rules", { body }),
    onSuccess: (rule) => {
      setEditing(null);
      setNotice(`Rule “${rule.name}” saved.`);
      refresh();
    },
    onError: (e) => setFormError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e))),
  });
  const toggle = useMutation({
    mutationFn: (r: ScheduleRuleDto) => api(`/rules/${r.id}`, { method: "PATCH", body: { enabled: !r.enabled } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (r: ScheduleRuleDto) => api(`/rules/${r.id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const list = rules.data ?? [];

  return (
    <div className="space-y-6">
      {confirmDialog}
      {notice && <Alert tone="success">{notice}</Alert>}
      <Card>
        <CardHeader
          title="Rules"
          description="When a task finishes, matching enabled rules queue the next piece of work — while auto-scheduling is on."
          actions={
            canEdit && (
              <Button
                onClick={() => {
                  setFormError(null);
                  setEditing("new");
                }}
              >
                New rule
              </Button>
            )
          }
        />
        {list.length === 0 ? (
          <EmptyState title="No rules yet">Rules hand work on: research → implementation → review.</EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
            {list.map((r) => (
              <li key={r.id} className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center" data-rule={r.name}>
                <div className="min-w-0 flex-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="font-medium text-zinc-900 dark:text-zinc-100">{r.name}</span>
                    <Badge tone={r.enabled ? "green" : "gray"}>{r.enabled ? "enabled" : "disabled"}</Badge>
                    <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{r.id}</span>
                  </div>
                  <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                    When <b>{r.when.type}</b>{" "}
                    {r.when.agent ? (
                      <>
                        by <b>{r.when.agent}</b>{" "}
                      </>
                    ) : (
                      ""
                    )}
                    {r.when.success ? "succeeds" : "fails"}{" "}
                    {r.when.verdict && (
                      <>
                        with verdict <b>{verdictLabel(r.when.verdict)}</b>{" "}
                      </>
                    )}
                    →{" "}
                    {r.then.map((t, i) => (
                      <span key={i}>
                        {i > 0 && ", "}
                        <b>{t.type}</b> for {describeAssignee(t.assignee)} (“{t.titleTemplate}”)
                      </span>
                    ))}
                    <span className="text-zinc-600 dark:text-zinc-400"> · max depth {r.maxChainDepth}</span>
                  </p>
                </div>
                {canEdit && (
                  <div className="flex shrink-0 gap-2">
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => toggle.mutate(r)}
                      aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`}
                    >
                      {r.enabled ? "Disable" : "Enable"}
                    </Button>
                    <Button
                      size="sm"
                      variant="secondary"
                      onClick={() => {
                        setFormError(null);
                        setEditing(r);
                      }}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={async () =>
                        (await ask({
                          title: `Delete rule “${r.name}”?`,
                          body: "Follow-ups it already created stay; it creates no more.",
                          action: "Delete rule",
                        })) && remove.mutate(r)
                      }
                    >
                      Delete
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Preview agents={agents} />
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === "new" ? "New rule" : "Edit rule"}
      >
        {editing !== null && (
          <RuleForm
            key={editing === "new" ? "new" : editing.id}
            rule={editing === "new" ? undefined : editing}
            agents={agents}
            pending={save.isPending}
            error={formError}
            onSubmit={(body) => {
              setFormError(null);
              if (Object.keys(body).length) save.mutate(body);
              else {
                setEditing(null);
                setNotice("Nothing changed.");
              }
            }}
          />
        )}
      </Dialog>
    </div>
  );
}
