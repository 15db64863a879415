"use client";
// The Webhooks page (admins): add an endpoint (its secret shown once), and for each endpoint its events, its health,
// a test, a secret rotation, enable / disable / delete, and its recent deliveries with every attempt and a replay.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { Alert, EmptyState, QueryError, Skeleton, Spinner } from "@/components/ui/feedback";
import { Field, Input, Select } from "@/components/ui/form";
import { Table, Tbody, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { webhookKeys } from "@/components/live/keys";
import { api, ApiError } from "@/lib/client/api";
import { EVENT_LABELS, NOTIFY_EVENTS } from "@/lib/notify/vocabulary";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks/schema";

const FORMAT_LABEL = { standard: "Standard Webhooks", slack: "Slack", discord: "Discord" } as const;

const message = (e: unknown) => (e instanceof ApiError ? e.message : e ? String(e) : null);

function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert tone="success" title="Copy the signing secret now: it will not be shown again.">
      <p className="text-xs">
        Verify each delivery&rsquo;s <code className="font-mono">webhook-signature</code> with it (any Standard Webhooks
        library does).
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          data-testid="webhook-secret"
          className="rounded bg-white/70 px-2 py-1 font-mono text-xs break-all text-zinc-900 dark:bg-black/30 dark:text-zinc-100"
        >
          {secret}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(secret).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </Alert>
  );
}

function AddWebhook({ onSecret }: { onSecret: (s: string) => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<keyof typeof FORMAT_LABEL>("standard");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<Set<string>>(new Set(["escalation.opened"]));
  const add = useMutation({
    mutationFn: () =>
      api<WebhookDto & { secret: string }>("/webhooks", {
        body: { url: url.trim(), format, events: [...events], ...(description.trim() ? { description } : {}) },
      }),
    onSuccess: (w) => {
      onSecret(w.secret);
      setUrl("");
      setDescription("");
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
  const err = add.error instanceof ApiError ? add.error : null;
  return (
    <Card aria-labelledby="add-webhook">
      <CardHeader
        id="add-webhook"
        title="Add an endpoint"
        description="A URL that receives the events you pick: signed Standard Webhooks JSON, or a readable Slack or Discord message."
      />
      <CardBody>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-[1fr_14rem]">
            <Field
              label="URL"
              hint="Private, loopback and metadata addresses are refused unless FED_WEBHOOK_ALLOW_HOSTS lists the host."
              error={err?.field("url") ?? (err && !err.field("events") ? err.message : undefined)}
            >
              {(p) => (
                <Input
                  {...p}
                  type="url"
                  required
                  value={url}
                  onChange={(e) => setUrl(e.target.value)}
                  placeholder="https://example.com/federation-hook"
                />
              )}
            </Field>
            <Field label="Format">
              {(p) => (
                <Select {...p} value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
                  {Object.entries(FORMAT_LABEL).map(([v, label]) => (
                    <option key={v} value={v}>
                      {label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field label="Description" hint="Optional: what receives it, e.g. “#agents channel”.">
            {(p) => (
              <Input {...p} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
            )}
          </Field>
          <fieldset aria-describedby={err?.field("events") ? "events-error" : undefined}>
            <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {NOTIFY_EVENTS.map((ev) => (
                <label key={ev} className="flex items-start gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                  <input
                    type="checkbox"
                    className="mt-0.5 size-4 rounded border-zinc-300 accent-indigo-600"
                    checked={events.has(ev)}
                    onChange={(e) =>
                      setEvents((s) => {
                        const next = new Set(s);
                        if (e.target.checked) next.add(ev);
                        else next.delete(ev);
                        return next;
                      })
                    }
                  />
                  <span>
                    <code className="font-mono text-xs">{ev}</code>
                    <span className="block text-xs text-zinc-600 dark:text-zinc-400">{EVENT_LABELS[ev]}</span>
                  </span>
                </label>
              ))}
            </div>
            {err?.field("events") && (
              <p id="events-error" role="alert" className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">
                {err.field("events")}
              </p>
            )}
          </fieldset>
          <div className="flex justify-end">
            <Button type="submit" loading={add.isPending}>
              Add endpoint
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function stateBadge(state: DeliveryDto["state"]) {
  return state === "delivered" ? (
    <Badge tone="green">Delivered</Badge>
  ) : state === "failed" ? (
    <Badge tone="red">Failed</Badge>
  ) : (
    <Badge tone="amber">Retrying</Badge>
  );
}

function Deliveries({ hook }: { hook: WebhookDto }) {
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
          {message(replay.error)}
        </Alert>
      )}
      <Table aria-label={`Recent deliveries to ${hook.url}`}>
        <thead>
          <tr>
            <Th>Event</Th>
            <Th>State</Th>
            <Th>Attempts</Th>
            <Th>Sent</Th>
            <Th className="text-right">
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
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

function Endpoint({ hook }: { hook: WebhookDto }) {
  const queryClient = useQueryClient();
  const [confirmDialog, ask] = useConfirm();
  const [secret, setSecret] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });
  const test = useMutation({
    mutationFn: () => api<DeliveryDto>(`/webhooks/${hook.id}/test`, { method: "POST" }),
    onSettled: refresh,
  });
  const rotate = useMutation({
    mutationFn: () => api<{ secret: string }>(`/webhooks/${hook.id}/rotate-secret`, { method: "POST" }),
    onSuccess: (w) => setSecret(w.secret),
    onSettled: refresh,
  });
  const toggle = useMutation({
    mutationFn: () => api(`/webhooks/${hook.id}`, { method: "PATCH", body: { enabled: !hook.enabled } }),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => api(`/webhooks/${hook.id}`, { method: "DELETE" }),
    onSettled: refresh,
  });
  const error = message(test.error ?? rotate.error ?? toggle.error ?? remove.error);
  const tested = test.data?.attempts.at(-1);
  return (
    <Card aria-label={`Webhook ${hook.url}`} data-webhook={hook.id}>
      {confirmDialog}
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
        <div className="min-w-0 space-y-1.5">
          <p className="font-mono text-sm font-medium break-all text-zinc-900 dark:text-zinc-100">{hook.url}</p>
          {hook.description && <p className="text-sm text-zinc-600 dark:text-zinc-400">{hook.description}</p>}
          <div className="flex flex-wrap gap-1.5">
            <Badge tone="indigo">{FORMAT_LABEL[hook.format]}</Badge>
            {!hook.enabled ? (
              <Badge tone="red" dot>
                Disabled
              </Badge>
            ) : hook.failingSince ? (
              <Badge tone="amber" dot>
                Failing
              </Badge>
            ) : (
              <Badge tone="green" dot>
                Enabled
              </Badge>
            )}
            {hook.rotatingUntil && (
              <Badge tone="blue">Old secret signs until {new Date(hook.rotatingUntil).toLocaleString("en")}</Badge>
            )}
            {hook.events.map((e) => (
              <Badge key={e}>{e}</Badge>
            ))}
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" loading={test.isPending} onClick={() => test.mutate()}>
            Send test
          </Button>
          <Button
            size="sm"
            variant="secondary"
            loading={rotate.isPending}
            onClick={async () => {
              if (
                await ask({
                  title: "Rotate the signing secret?",
                  body: "A new secret is shown once. For 24 hours deliveries carry signatures by both, so the receiver can switch without missing any.",
                  action: "Rotate secret",
                  tone: "primary",
                })
              )
                rotate.mutate();
            }}
          >
            Rotate secret
          </Button>
          <Button size="sm" variant="secondary" loading={toggle.isPending} onClick={() => toggle.mutate()}>
            {hook.enabled ? "Disable" : "Enable"}
          </Button>
          <Button
            size="sm"
            variant="danger"
            loading={remove.isPending}
            onClick={async () => {
              if (
                await ask({
                  title: "Delete this endpoint?",
                  body: `${hook.url} stops receiving events at once, and its deliveries are deleted.`,
                  action: "Delete endpoint",
                })
              )
                remove.mutate();
            }}
          >
            Delete
          </Button>
        </div>
      </div>
      <div className="space-y-3 empty:hidden">
        {hook.disabledReason && (
          <Alert tone="warning" className="mx-5 mt-4" title="Disabled">
            {hook.disabledReason}
          </Alert>
        )}
        {error && (
          <Alert tone="error" className="mx-5 mt-4">
            {error}
          </Alert>
        )}
        {tested && (
          <Alert tone={test.data?.state === "delivered" ? "success" : "error"} className="mx-5 mt-4">
            Test {test.data?.state === "delivered" ? "delivered" : "not delivered"}: {tested.statusCode ?? "no answer"}{" "}
            in {tested.latencyMs} ms{tested.error ? ` — ${tested.error}` : "."}
          </Alert>
        )}
        {secret && (
          <div className="mx-5 mt-4">
            <SecretOnce secret={secret} onDone={() => setSecret(null)} />
          </div>
        )}
      </div>
      <h3 className="px-5 pt-4 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
        Recent deliveries
      </h3>
      <Deliveries hook={hook} />
    </Card>
  );
}

export function WebhooksView({ initial }: { initial: WebhookDto[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const list = useQuery({
    queryKey: webhookKeys.all,
    queryFn: async () => (await api<{ items: WebhookDto[] }>("/webhooks")).items,
    initialData: initial,
  });
  return (
    <div className="space-y-6">
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      {list.error && <QueryError error={list.error} what="the webhooks" />}
      {list.isFetching && !list.data && <Spinner />}
      {list.data.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 dark:border-zinc-700">
          <EmptyState title="No endpoints yet">
            Add one below to tell a chat channel, CI or a pager when a person is needed or something changes.
          </EmptyState>
        </div>
      ) : (
        <div className="space-y-4">
          {list.data.map((w) => (
            <Endpoint key={w.id} hook={w} />
          ))}
        </div>
      )}
      <AddWebhook onSecret={setSecret} />
    </div>
  );
}
