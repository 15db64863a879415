"use client";
// The global auto-scheduling switch in the header: admins flip it after saying yes (one stray tap on a phone must
// not start or stop the whole federation's follow-ups); everyone sees its state and who set it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import type { FederationStateDto } from "@/lib/scheduling/schema";
import { cn } from "@/components/ui/cn";
import { federationKeys } from "@/components/live/keys";
import { useConfirm } from "@/components/ui/confirm";

const federationKey = federationKeys.state;

export function AutoSchedulingSwitch({ initial, canEdit }: { initial: FederationStateDto; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const state = useQuery({
    queryKey: federationKey,
    queryFn: () => api<FederationStateDto>("/federation/state"),
    initialData: initial,
  }).data;
  const toggle = useMutation({
    mutationFn: (on: boolean) =>
      api<FederationStateDto>("/federation/state", { method: "PATCH", body: { autoScheduling: on } }),
    onSuccess: (next) => queryClient.setQueryData(federationKey, next),
  });
  const [dialog, ask] = useConfirm();
  const on = state.autoScheduling;
  const flip = async () => {
    const ok = await ask(
      on
        ? {
            title: "Turn auto-scheduling off?",
            body: "Completed tasks stop creating follow-ups for every agent until someone turns it on again.",
            action: "Turn off",
          }
        : {
            title: "Turn auto-scheduling on?",
            body: "Every enabled rule starts creating follow-up tasks when matching tasks complete.",
            action: "Turn on",
            tone: "primary",
          },
    );
    if (ok) toggle.mutate(!on);
  };
  const title = state.updatedBy
    ? `Turned ${on ? "on" : "off"} by ${state.updatedBy} at ${state.updatedAt.replace("T", " ").slice(0, 16)} UTC`
    : undefined;
  return (
    <div className="flex items-center gap-2 text-sm" title={title}>
      {dialog}
      <span className="text-zinc-700 dark:text-zinc-300" id="auto-scheduling-label">
        Auto-scheduling
      </span>
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-labelledby="auto-scheduling-label"
        disabled={!canEdit || toggle.isPending}
        onClick={() => void flip()}
        className={cn(
          "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed",
          on ? "bg-emerald-600" : "bg-zinc-300 dark:bg-zinc-700",
          !canEdit && "opacity-70",
        )}
      >
        <span
          className={cn(
            "inline-block size-5 rounded-full bg-white shadow transition-transform",
            on ? "translate-x-5.5" : "translate-x-0.5",
          )}
        />
      </button>
      <span className="w-7 text-xs font-medium text-zinc-700 dark:text-zinc-300" data-testid="auto-scheduling-state">
        {on ? "On" : "Off"}
      </span>
    </div>
  );
}
