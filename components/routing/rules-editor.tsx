"use client";
// The v1 rules grouped per agent (collapsible, searchable): admins change weights, add and delete rules; the
// explainer above follows at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, EmptyState, Skeletons } from "@/components/ui/feedback";
import { Input, Select, Options } from "@/components/ui/form";
import { api, ApiError } from "@/lib/client/api";
import type { RoutingRuleDto } from "@/lib/routing/schema";
import { routeKeys } from "@/components/live/keys";

const rulesKey = ["routing-rules"] as const;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

export function RulesEditor({ agents, canEdit }: { agents: string[]; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
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
  // Grouped per agent; a search (agent, kind or pattern) opens the groups with a match and shows only those rules.
  const needle = search.trim().toLowerCase();
  const byAgent = new Map<string, RoutingRuleDto[]>();
  for (const r of rules.data ?? []) {
    if (needle && !r.pattern.toLowerCase().includes(needle) && !r.agent.includes(needle) && r.kind !== needle) continue;
    byAgent.set(r.agent, [...(byAgent.get(r.agent) ?? []), r]);
  }
  const groups = [...byAgent.entries()]
    .map(([agent, own]) => [agent, own.sort((a, b) => a.kind.localeCompare(b.kind) || b.weight - a.weight)] as const)
    .sort(([a], [b]) => a.localeCompare(b));

  return (
    <Card>
      <CardHeader
        title="Rules (v1)"
        description="An agent's rule score is its best matching rule: a task type it equals, or a keyword its text contains."
        actions={
          <Input
            type="search"
            aria-label="Search rules"
            placeholder="Search: a word, a type or an agent"
            className="w-full sm:w-72"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
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
              <Options values={agents} />
            </Select>
          </label>
          <label className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            <span className="mb-1 block">Kind</span>
            <Select name="kind" className="w-32" defaultValue="keyword">
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
      {rules.isPending ? (
        <Skeletons count={2} row="h-10" className="space-y-2 p-5" />
      ) : groups.length === 0 ? (
        <EmptyState title={search ? `No rule matches “${search}”` : "No rules yet"}>
          {search ? "Try another word or a task type." : "Add a rule above: a task type or a keyword for an agent."}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Routing rules by agent">
          {groups.map(([agent, own]) => (
            <li key={agent} data-rule-agent={agent}>
              <details open={!!search || undefined} className="group">
                <summary className="flex cursor-pointer list-none items-center gap-3 px-5 py-3 text-sm hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800/40 [&::-webkit-details-marker]:hidden">
                  <span
                    aria-hidden
                    className="text-zinc-600 transition-transform group-open:rotate-90 dark:text-zinc-400"
                  >
                    ▸
                  </span>
                  <span className="font-mono font-medium">{agent}</span>
                  <span className="text-zinc-600 dark:text-zinc-400">
                    {count(own.length, "rule")} · {count(own.filter((r) => r.kind === "type").length, "type")},{" "}
                    {count(own.filter((r) => r.kind === "keyword").length, "keyword")}
                  </span>
                </summary>
                <ul className="border-t border-zinc-100 pb-2 dark:border-zinc-800/70">
                  {own.map((r) => (
                    <li
                      key={r.id}
                      data-rule={`${r.agent}:${r.kind}:${r.pattern}`}
                      className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-1.5 pl-11 text-sm"
                    >
                      <span className="w-16 text-xs text-zinc-600 dark:text-zinc-400">{r.kind}</span>
                      <span className="min-w-0 flex-1 font-mono [overflow-wrap:anywhere]">{r.pattern}</span>
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
                      {canEdit && (
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Delete rule ${r.agent} ${r.pattern}`}
                          onClick={() => remove.mutate(r.id)}
                        >
                          Delete
                        </Button>
                      )}
                    </li>
                  ))}
                </ul>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
