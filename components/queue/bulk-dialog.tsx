"use client";
// The bulk action confirmation: what will happen, counted by the server first (a dry run), then done on confirm.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, Spinner } from "@/components/ui/feedback";
import { Field, Select } from "@/components/ui/form";
import { ApiError, api } from "@/lib/client/api";
import { queueKeys } from "@/components/live/keys";
import type { BulkAction } from "@/lib/queue/bulk-states";
import type { BulkResult } from "@/lib/queue/bulk";
import type { TaskFilter } from "@/lib/queue/schema";

export type Selection = { ids: string[] } | { filter: TaskFilter };

const VERB: Record<BulkAction, { title: string; past: string; states: string; tone: "primary" | "danger" }> = {
  retry: { title: "Retry", past: "retried", states: "failed or cancelled", tone: "primary" },
  cancel: { title: "Cancel", past: "cancelled", states: "pending or in progress", tone: "danger" },
  reassign: { title: "Reassign", past: "reassigned", states: "pending or failed", tone: "primary" },
};

const plural = (n: number, one: string) => `${n.toLocaleString("en")} ${one}${n === 1 ? "" : "s"}`;

export function BulkDialog({
  action,
  selection,
  agents,
  onClose,
  onDone,
}: {
  action: BulkAction | null;
  selection: Selection;
  agents: string[];
  onClose: () => void;
  onDone: (result: BulkResult) => void;
}) {
  const queryClient = useQueryClient();
  const [assignee, setAssignee] = useState(agents[0] ?? "");
  const body = (dryRun: boolean) => ({
    action,
    ...selection,
    ...(action === "reassign" ? { assignee } : {}),
    dryRun,
  });
  const preview = useQuery({
    queryKey: ["tasks", "bulk-preview", action, selection, assignee],
    queryFn: () => api<BulkResult>("/tasks/bulk", { body: body(true) }),
    enabled: action !== null,
    refetchInterval: false,
    staleTime: 0,
  });
  const run = useMutation({
    mutationFn: () => api<BulkResult>("/tasks/bulk", { body: body(false) }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
      onDone(result);
    },
  });
  if (action === null) return null;
  const verb = VERB[action];
  const p = preview.data;
  const by = "ids" in selection ? "selected" : "matching the filter";
  return (
    <Dialog open onClose={onClose} title={`${verb.title} tasks`}>
      <div className="space-y-4">
        {action === "reassign" && (
          <Field label="Give them to">
            {(props) => (
              <Select {...props} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                {agents.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </Select>
            )}
          </Field>
        )}
        {preview.isPending ? (
          <Spinner label="Counting" />
        ) : preview.isError ? (
          <Alert tone="error">{preview.error.message}</Alert>
        ) : (
          p && (
            <div data-testid="bulk-preview" className="space-y-1 text-sm">
              <p className="font-medium">
                {p.applicable > 0
                  ? `${verb.title} ${plural(p.applicable, "task")}?`
                  : `None of these tasks can be ${verb.past}.`}
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                {plural(p.matched, "task")} {by}; {p.applicable.toLocaleString("en")}{" "}
                {p.applicable === 1 ? "is" : "are"} {verb.states}
                {p.matched > p.applicable
                  ? `, the other ${p.matched - p.applicable} stay as they are.`
                  : " and will be " + verb.past + "."}
              </p>
            </div>
          )
        )}
        {run.error && (
          <Alert tone="error">{run.error instanceof ApiError ? run.error.message : String(run.error)}</Alert>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Keep them
          </Button>
          <Button
            variant={verb.tone}
            disabled={!p || p.applicable === 0}
            loading={run.isPending}
            onClick={() => run.mutate()}
          >
            {p ? `${verb.title} ${plural(p.applicable, "task")}` : verb.title}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
