"use client";
// Adding a webhook endpoint (admins): its URL, format and events; its signing secret shown once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field, Input, Select, FormActions } from "@/components/ui/form";
import { ShownOnce } from "@/components/ui/shown-once";
import { webhookKeys } from "@/components/live/keys";
import { api, ApiError } from "@/lib/client/api";
import { EVENT_LABELS, NOTIFY_EVENTS } from "@/lib/notify/vocabulary";
import type { WebhookDto } from "@/lib/webhooks/schema";

export const FORMAT_LABEL = { standard: "Standard Webhooks", slack: "Slack", discord: "Discord" } as const;

export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <ShownOnce
      key={secret}
      title="Copy the signing secret now: it will not be shown again."
      value={secret}
      testId="webhook-secret"
      onDone={onDone}
    >
      <p className="text-xs">
        Verify each delivery&rsquo;s <code className="font-mono">webhook-signature</code> with it (any Standard Webhooks
        library does).
      </p>
    </ShownOnce>
  );
}

export function AddWebhook({ onSecret }: { onSecret: (s: string) => void }) {
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
          <FormActions>
            <Button type="submit" loading={add.isPending}>
              Add endpoint
            </Button>
          </FormActions>
        </form>
      </CardBody>
    </Card>
  );
}
