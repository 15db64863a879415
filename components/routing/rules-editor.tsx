"use client";
// The v1 rules, per agent: admins change weights, add and delete rules; routing above follows at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/feedback";
import { Input, Select } from "@/components/ui/form";
import { Table, Tbody, Td, Th } from "@/components/ui/table";
import { api, ApiError } from "@/lib/client/api";
import type { RoutingRuleDto } from "@/lib/routing/schema";
import { routeKeys } from "@/components/live/keys";

const rulesKey = ["routing-rules"] as const;

export function RulesEditor({ agents, canEdit }: { agents: string[]; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [agentFilter, setAgentFilter] = useState("");
  const [error, setError] = useState<string | null>(null);
  const rules = useQuery({
    queryKey: rulesKey,
    queryFn: () => api<{ items: RoutingRuleDto[] }>("/routing-rules").then((r) => r.items),
  });
  const changed = () => {
    setError(null);
    queryClient.invalidateQueries({ queryKey: rulesKey });
    queryClient.invalidateQueries({ queryKey: routeKeys.all });
  };
  const onError = (e: unknown) => setError(e instanceof ApiError ? e.message : String(e));
  const update = useMutation({
    mutationFn: ({ id, weight }: { id: string; weight: number }) =>
      api(`/routing-rules/${id}`, { method: "PATCH", body: { weight } }),
    onSuccess: changed,
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/routing-rules/${id}`, { method: "DELETE" }),
    onSuccess: changed,
    onError,
  });
  const create = useMutation({
    mutationFn: (body: unknown) => api("/routing-rules", { body }),
    onSuccess: changed,
    onError,
  });
  const list = (rules.data ?? []).filter((r) => !agentFilter || r.agent === agentFilter);

  return (
    <Card>
      <CardHeader
        title="Rules (v1)"
        description="An agent's rule score is its best matching rule: a task type it equals, or a keyword its text contains."
        actions={
          <Select
            aria-label="Show rules of"
            className="w-40"
            value={agentFilter}
            onChange={(e) => setAgentFilter(e.target.value)}
          >
            <option value="">All agents</option>
            {agents.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </Select>
        }
      />
      {error && (
        <Alert tone="error" className="m-5">
          {error}
        </Alert>
      )}
      {canEdit && (
        <form
          className="flex flex-wrap items-end gap-2 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800"
          aria-label="Add a rule"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            create.mutate({
              agent: f.get("agent"),
              kind: f.get("kind"),
              pattern: String(f.get("pattern") ?? ""),
              weight: Number(f.get("weight")),
            });
            e.currentTarget.reset();
          }}
        >
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block">Agent</span>
            <Select name="agent" className="w-36" defaultValue={agents[0]}>
              {agents.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block">Kind</span>
            <Select name="kind" className="w-28" defaultValue="keyword">
              <option value="keyword">keyword</option>
              <option value="type">type</option>
            </Select>
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block">Keyword or type</span>
            <Input name="pattern" className="w-44" required />
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block">Weight</span>
            <Input name="weight" type="number" min={0} max={1} step={0.05} defaultValue={0.8} className="w-24" />
          </label>
          <Button type="submit" variant="secondary" loading={create.isPending}>
            Add rule
          </Button>
        </form>
      )}
      <div className="max-h-[28rem] overflow-y-auto">
        <Table aria-label="Routing rules">
          <thead>
            <tr>
              <Th>Agent</Th>
              <Th>Kind</Th>
              <Th>Pattern</Th>
              <Th>Weight</Th>
              {canEdit && (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              )}
            </tr>
          </thead>
          <Tbody>
            {list.map((r) => (
              <tr key={r.id} data-rule={`${r.agent}:${r.kind}:${r.pattern}`}>
                <Td className="py-1.5 font-mono">{r.agent}</Td>
                <Td className="py-1.5">{r.kind}</Td>
                <Td className="py-1.5 font-mono">{r.pattern}</Td>
                <Td className="py-1.5">
                  {canEdit ? (
                    <Input
                      aria-label={`Weight of ${r.agent} ${r.kind} ${r.pattern}`}
                      type="number"
                      min={0}
                      max={1}
                      step={0.05}
                      defaultValue={r.weight}
                      key={`${r.id}-${r.weight}`}
                      className="h-8 w-24"
                      onBlur={(e) =>
                        Number(e.target.value) !== r.weight &&
                        update.mutate({ id: r.id, weight: Number(e.target.value) })
                      }
                      onKeyDown={(e) => e.key === "Enter" && (e.target as HTMLInputElement).blur()}
                    />
                  ) : (
                    <span className="tabular-nums">{r.weight.toFixed(2)}</span>
                  )}
                </Td>
                {canEdit && (
                  <Td className="py-1.5 text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Delete rule ${r.agent} ${r.pattern}`}
                      onClick={() => remove.mutate(r.id)}
                    >
                      Delete
                    </Button>
                  </Td>
                )}
              </tr>
            ))}
          </Tbody>
        </Table>
      </div>
    </Card>
  );
}
