"use client";
// The orchestrator's inbox: what agents could not settle, and the decision buttons.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, EmptyState, Skeleton } from "@/components/ui/feedback";
import { Select } from "@/components/ui/form";
import { RelativeTime } from "@/components/ui/time";
import { api, ApiError } from "@/lib/client/api";
import type { EscalationDto } from "@/lib/escalations/schema";
import type { Page } from "@/lib/http/list";

function Decide({ escalation, agents, onDone }: { escalation: EscalationDto; agents: string[]; onDone: () => void }) {
  const [assignee, setAssignee] = useState(agents[0] ?? "");
  const decide = useMutation({
    mutationFn: (body: unknown) => api<EscalationDto>(`/escalations/${escalation.id}/decide`, { body }),
    onSuccess: onDone,
  });
  return (
    <div className="flex flex-wrap items-center gap-2">
      {decide.error && (
        <span className="text-xs text-red-600">
          {decide.error instanceof ApiError ? decide.error.message : String(decide.error)}
        </span>
      )}
      <Select
        aria-label={`Assign ${escalation.subjectId} to`}
        className="h-8 w-36 py-1 text-xs"
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
      >
        {agents.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </Select>
      <Button size="sm" loading={decide.isPending} onClick={() => decide.mutate({ assignee })}>
        Assign
      </Button>
      {escalation.kind === "task" && (
        <>
          <Button size="sm" variant="secondary" onClick={() => decide.mutate({ action: "retry" })}>
            Retry
          </Button>
          <Button size="sm" variant="ghost" onClick={() => decide.mutate({ action: "cancel" })}>
            Cancel task
          </Button>
        </>
      )}
    </div>
  );
}

export function EscalationInbox({ agents, canDecide }: { agents: string[]; canDecide: boolean }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<"open" | "resolved">("open");
  const list = useQuery({
    queryKey: ["escalations", state],
    queryFn: () => api<Page<EscalationDto>>(`/escalations?state=${state}&limit=100`),
    refetchInterval: 3_000,
  });
  const items = list.data?.items ?? [];
  return (
    <Card>
      <CardHeader
        title={state === "open" ? "Waiting for a decision" : "Decided"}
        description="Tasks that ran out of attempts and tasks the router was not confident about."
        actions={
          <Select
            aria-label="Show"
            className="w-36"
            value={state}
            onChange={(e) => setState(e.target.value as "open" | "resolved")}
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
          </Select>
        }
      />
      {list.isError && (
        <Alert tone="error" className="m-5">
          {String(list.error)}
        </Alert>
      )}
      {list.isPending ? (
        <div className="space-y-3 p-5">
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : items.length === 0 ? (
        <EmptyState title={state === "open" ? "Nothing needs you" : "Nothing decided yet"}>
          {state === "open" ? "Agents are settling everything themselves." : undefined}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70">
          {items.map((e) => (
            <li key={e.id} className="flex flex-col gap-3 px-5 py-4 lg:flex-row lg:items-center" data-escalation={e.id}>
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={e.kind === "task" ? "red" : e.kind === "routing" ? "amber" : "indigo"}>{e.kind}</Badge>
                  <Link
                    href={`/queue/${e.subjectId}`}
                    className="font-mono text-xs text-indigo-700 hover:underline dark:text-indigo-400"
                  >
                    {e.subjectId}
                  </Link>
                  <span className="text-xs text-zinc-500">
                    <RelativeTime iso={e.createdAt} />
                  </span>
                </div>
                <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{e.reason}</p>
                {e.state === "resolved" && (
                  <p className="mt-1 text-xs text-zinc-500">
                    Resolved by {e.resolvedBy}: {JSON.stringify(e.resolution)}
                  </p>
                )}
              </div>
              {canDecide && e.state === "open" && (
                <Decide
                  escalation={e}
                  agents={agents}
                  onDone={() => queryClient.invalidateQueries({ queryKey: ["escalations"] })}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
