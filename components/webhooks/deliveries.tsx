"use client";
// An endpoint's recent deliveries, each with every attempt (status, code, latency, answer), and a replay.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Alert, QueryError, Skeleton } from "@/components/ui/feedback";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { webhookKeys } from "@/components/live/keys";
import { api, errorText } from "@/lib/client/api";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks/schema";

function stateBadge(state: DeliveryDto["state"]) {
  return state === "delivered" ? (
    <Badge tone="green">Delivered</Badge>
  ) : state === "failed" ? (
    <Badge tone="red">Failed</Badge>
  ) : (
    <Badge tone="amber">Retrying</Badge>
  );
}

export function Deliveries({ hook }: { hook: WebhookDto }) {
  const queryClient = useQueryClient();
  const key = webhookKeys.deliveries(hook.id);
  const list = useQuery({
    queryKey: key,
    queryFn: async () => (await api<{ items: DeliveryDto[] }>(`/webhooks/${hook.id}/deliveries?limit=10`)).items,
    refetchInterval: 5_000,
  });
  const replay = useMutation({
    mutationFn: (d: DeliveryDto) =>
      api<DeliveryDto>(`/webhooks/${hook.id}/deliveries/${d.id}/retry`, { method: "POST" }),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
  if (list.isPending) return <Skeleton className="m-5 h-16" />;
  if (list.error) return <QueryError error={list.error} what="the deliveries" className="m-5" />;
  if (!list.data.length)
    return (
      <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">
        No deliveries yet. Send a test, or wait for one of its events.
      </p>
    );
  return (
    <>
      {replay.error && (
        <Alert tone="error" className="mx-5 mt-4">
          {errorText(replay.error)}
        </Alert>
      )}
      <Table aria-label={`Recent deliveries to ${hook.url}`}>
        <Thead columns={["Event", "State", "Attempts", "Sent"]} actions />
        <Tbody>
          {list.data.map((d) => {
            const last = d.attempts.at(-1);
            return (
              <tr key={d.id} data-delivery={d.id}>
                <Td>
                  <code className="font-mono text-xs whitespace-nowrap">{d.eventType}</code>
                  <span className="block font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{d.id}</span>
                </Td>
                <Td>{stateBadge(d.state)}</Td>
                <Td>
                  <details>
                    <summary className="cursor-pointer text-sm">
                      {d.attempts.length} · {last ? (last.statusCode ?? "no answer") : "not yet"}
                      {last ? ` · ${last.latencyMs} ms` : ""}
                    </summary>
                    <ol className="mt-2 space-y-1 text-xs text-zinc-700 dark:text-zinc-300">
                      {d.attempts.map((a, i) => (
                        <li key={i}>
                          <RelativeTime iso={a.at} /> — {a.statusCode ?? "no answer"} in {a.latencyMs} ms
                          {a.manual ? " (by hand)" : ""}
                          {a.error ? `: ${a.error}` : ""}
                          {a.responseExcerpt && (
                            <code className="mt-0.5 block max-w-md truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
                              {a.responseExcerpt}
                            </code>
                          )}
                        </li>
                      ))}
                    </ol>
                    {d.nextAttemptAt && (
                      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                        Next try <RelativeTime iso={d.nextAttemptAt} />
                      </p>
                    )}
                  </details>
                </Td>
                <Td>
                  <RelativeTime iso={last?.at ?? d.createdAt} />
                </Td>
                <Td className="text-right">
                  <Button
                    size="sm"
                    variant="secondary"
                    loading={replay.isPending && replay.variables?.id === d.id}
                    onClick={() => replay.mutate(d)}
                    aria-label={`Replay ${d.eventType} delivery ${d.id}`}
                  >
                    Replay
                  </Button>
                </Td>
              </tr>
            );
          })}
        </Tbody>
      </Table>
    </>
  );
}
