"use client";
// The Webhooks page (admins): add an endpoint (its secret shown once), and for each endpoint its events, its health,
// a test, a secret rotation, enable / disable / delete, and its recent deliveries with every attempt and a replay.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { Alert, EmptyState, QueryError, Spinner } from "@/components/ui/feedback";
import { webhookKeys } from "@/components/live/keys";
import { api, errorText } from "@/lib/client/api";
import type { DeliveryDto, WebhookDto } from "@/lib/webhooks/schema";
import { AddWebhook, FORMAT_LABEL, SecretOnce } from "./add-webhook";
import { Deliveries } from "./deliveries";

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
  const error = errorText(test.error ?? rotate.error ?? toggle.error ?? remove.error);
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
