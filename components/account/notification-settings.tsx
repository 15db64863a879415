"use client";
// Which events reach you, and how: by mail at once or in the hourly digest (GET/PATCH /me/notifications), and as a
// system notification on this device while the Federation tab is hidden (new escalations; opt-in per browser).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert, QueryError, Skeleton } from "@/components/ui/feedback";
import { Select } from "@/components/ui/form";
import {
  browserNotifyOn,
  browserNotifySupported,
  disableBrowserNotify,
  enableBrowserNotify,
} from "@/components/live/browser-notify";
import { api, ApiError } from "@/lib/client/api";
import { EVENT_LABELS, NOTIFY_EVENTS, type NotifyEvent } from "@/lib/notify/vocabulary";

type Mode = "immediate" | "digest" | "off";
interface Settings {
  mail: boolean;
  email: string;
  events: Record<NotifyEvent, Mode>;
}
const KEY = ["me", "notifications"] as const;
const MODE_LABEL: Record<Mode, string> = { immediate: "Mail at once", digest: "Hourly digest", off: "Off" };

const subscribeNever = () => () => {};
function readState(_version: number): "unsupported" | "on" | "off" | "denied" {
  if (!browserNotifySupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return browserNotifyOn() ? "on" : "off";
}

function BrowserNotifications() {
  // Read from the browser (there is nothing to read on the server); a change here re-renders through `version`.
  const [version, setVersion] = useState(0);
  const state = useSyncExternalStore(
    subscribeNever,
    () => readState(version),
    () => null,
  );
  const setState = () => setVersion((v) => v + 1);
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
      <div className="min-w-0">
        <p className="text-sm font-medium text-zinc-900 dark:text-zinc-100">On this device</p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="browser-notify-state">
          {state === "on"
            ? "A system notification for each new escalation while the Federation tab is in the background. Clicking it opens the card."
            : state === "denied"
              ? "This browser blocks notifications from Federation: allow them in the site settings, then turn them on here."
              : state === "unsupported"
                ? "This browser has no system notifications."
                : "Off: turn on to hear of new escalations while the tab is in the background."}
        </p>
      </div>
      {state === "on" ? (
        <Button
          variant="secondary"
          onClick={() => {
            disableBrowserNotify();
            setState();
          }}
        >
          Turn off
        </Button>
      ) : state === "off" ? (
        <Button
          onClick={async () => {
            await enableBrowserNotify();
            setState();
          }}
        >
          Turn on notifications
        </Button>
      ) : null}
    </div>
  );
}

export function NotificationSettings() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: () => api<Settings>("/me/notifications") });
  const save = useMutation({
    mutationFn: (events: Partial<Record<NotifyEvent, Mode>>) =>
      api<Settings>("/me/notifications", { method: "PATCH", body: { events } }),
    onSuccess: (s) => queryClient.setQueryData(KEY, s),
  });
  return (
    <Card aria-labelledby="notify-title">
      <CardHeader
        id="notify-title"
        title="Notifications"
        description="What reaches you when you are not looking at Federation."
      />
      <CardBody className="space-y-4">
        {settings.isPending ? (
          <Skeleton className="h-40" />
        ) : settings.error ? (
          <QueryError error={settings.error} what="your notification settings" />
        ) : (
          <>
            {!settings.data.mail && (
              <Alert tone="warning" title="Mail is off in this federation">
                An admin sets <code className="font-mono text-xs">FED_SMTP_URL</code> to send mail; your choices are
                kept for then.
              </Alert>
            )}
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              By mail to <span className="font-medium text-zinc-900 dark:text-zinc-100">{settings.data.email}</span>:
            </p>
            <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {NOTIFY_EVENTS.map((ev) => (
                <li key={ev} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <label htmlFor={`notify-${ev}`} className="min-w-0 text-sm text-zinc-800 dark:text-zinc-200">
                    {EVENT_LABELS[ev]}
                    <code className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">{ev}</code>
                  </label>
                  <Select
                    id={`notify-${ev}`}
                    className="w-40"
                    value={settings.data.events[ev]}
                    disabled={save.isPending}
                    onChange={(e) => save.mutate({ [ev]: e.target.value as Mode })}
                  >
                    {(Object.keys(MODE_LABEL) as Mode[]).map((m) => (
                      <option key={m} value={m}>
                        {MODE_LABEL[m]}
                      </option>
                    ))}
                  </Select>
                </li>
              ))}
            </ul>
            {save.error && (
              <Alert tone="error">{save.error instanceof ApiError ? save.error.message : String(save.error)}</Alert>
            )}
            {save.isSuccess && !save.isPending && (
              <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
                Saved.
              </p>
            )}
          </>
        )}
      </CardBody>
      <BrowserNotifications />
    </Card>
  );
}
