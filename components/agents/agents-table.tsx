"use client";
// The agent registry: live list, status changes and agent creation for admins.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { Select, Options } from "@/components/ui/form";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { api, ApiError } from "@/lib/client/api";
import { AGENT_STATUSES, type AgentDto, type AgentStatus } from "@/lib/agents/schema";
import { AgentForm } from "./agent-form";
import { agentKeys, fetchAgents } from "./queries";
import { AgentStatusBadge, RateLimitCountdown, statusLabel } from "./status-badge";

/** Rate limits an admin can set from the registry that end by themselves. */
const RATE_LIMIT_MINUTES = [15, 60, 240];

export function AgentsTable({ initial, canEdit }: { initial: AgentDto[]; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const agents = useQuery({
    queryKey: agentKeys.all,
    queryFn: fetchAgents,
    initialData: initial,
  });
  const setStatus = useMutation({
    mutationFn: ({ name, status, minutes }: { name: string; status: AgentStatus; minutes?: number }) =>
      api<AgentDto>(`/agents/${name}`, {
        method: "PATCH",
        body: { status, ...(minutes ? { until: new Date(Date.now() + minutes * 60_000).toISOString() } : {}) },
      }),
    onSuccess: (agent) => {
      setNotice({ tone: "success", text: `${agent.name} is now ${statusLabel[agent.status].toLowerCase()}.` });
      queryClient.invalidateQueries({ queryKey: agentKeys.all });
    },
    onError: (e) => setNotice({ tone: "error", text: e instanceof ApiError ? e.message : String(e) }),
  });
  const list = agents.data ?? [];

  return (
    <>
      {notice && (
        <Alert tone={notice.tone} className="mb-4">
          {notice.text}
        </Alert>
      )}
      <Card>
        <CardHeader
          title="Registry"
          description={`${list.length} agent${list.length === 1 ? "" : "s"} · ${list.filter((a) => a.status === "active").length} active`}
          actions={canEdit && <Button onClick={() => setCreating(true)}>New agent</Button>}
        />
        <QueryError error={agents.error} what="agents" className="m-5" />
        {agents.isPending ? (
          <Skeletons count={2} row="h-6" className="space-y-3 p-5" />
        ) : list.length === 0 ? (
          <EmptyState title="No agents yet">Create the first agent to start handing out work.</EmptyState>
        ) : (
          <Table aria-label="Agents">
            <Thead columns={["Agent", "Status", "Fallback", "Capabilities", "Last seen"]} />
            <Tbody>
              {list.map((agent) => (
                <tr key={agent.name} data-agent={agent.name} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                  <Td>
                    <Link href={`/agents/${agent.name}`} className="group block rounded focus-visible:outline-2">
                      <span className="font-medium whitespace-nowrap text-zinc-900 group-hover:underline dark:text-zinc-100">
                        {agent.displayName}
                      </span>
                      <span className="block font-mono text-xs text-zinc-600 dark:text-zinc-400">{agent.name}</span>
                    </Link>
                  </Td>
                  <Td>
                    {canEdit ? (
                      <div className="flex items-center gap-2">
                        <Select
                          aria-label={`Status of ${agent.name}`}
                          className="h-8 w-36 min-w-36 py-1 text-xs"
                          value={agent.status}
                          disabled={setStatus.isPending}
                          onChange={(e) => {
                            const [status, minutes] = e.target.value.split(":");
                            setStatus.mutate({
                              name: agent.name,
                              status: status as AgentStatus,
                              minutes: minutes ? Number(minutes) : undefined,
                            });
                          }}
                        >
                          <Options values={AGENT_STATUSES} label={(s) => statusLabel[s]} />
                          {RATE_LIMIT_MINUTES.map((m) => (
                            <option key={m} value={`rate_limited:${m}`}>
                              Rate limited for {m < 60 ? `${m} min` : `${m / 60} h`}
                            </option>
                          ))}
                        </Select>
                        <RateLimitCountdown until={agent.statusUntil} />
                      </div>
                    ) : (
                      <div className="flex items-center gap-2">
                        <AgentStatusBadge status={agent.status} />
                        <RateLimitCountdown until={agent.statusUntil} />
                      </div>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    {agent.fallback ? (
                      <span className="font-mono text-xs">{agent.fallback}</span>
                    ) : (
                      <span className="text-zinc-600 dark:text-zinc-400">—</span>
                    )}
                  </Td>
                  <Td>
                    <div className="flex max-w-xs flex-wrap gap-1">
                      {agent.capabilities.length ? (
                        agent.capabilities.map((c) => (
                          <span
                            key={c}
                            className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                          >
                            {c}
                          </span>
                        ))
                      ) : (
                        <span className="text-zinc-600 dark:text-zinc-400">—</span>
                      )}
                    </div>
                  </Td>
                  <Td className="whitespace-nowrap">
                    <RelativeTime iso={agent.lastSeenAt} />
                  </Td>
                </tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Card>
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="New agent"
        description="Agents take work from the queue with a bearer token you issue next."
      >
        <AgentForm
          agents={list}
          onDone={(agent) => {
            setCreating(false);
            setNotice({ tone: "success", text: `Agent ${agent.name} created. Open it to issue a token.` });
          }}
        />
      </Dialog>
    </>
  );
}
