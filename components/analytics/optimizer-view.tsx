"use client";
// The optimizer: who is clearly better or worse than the rest at each task type, with the evidence; an admin
// applies the suggestions (routing-rule weights change, audited) and undoes any application in one click.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState, Skeleton } from "@/components/ui/feedback";
import { RelativeTime } from "@/components/ui/time";
import { ApiError } from "@/lib/client/api";
import { IntervalBar } from "./leaderboard";
import { analyticsKeys, applySuggestions, fetchHistory, fetchSuggestions, percent, undoChange } from "./queries";
import { useWindow, WindowSwitch } from "./window-switch";

/**
 * How strong the evidence is, in words: the interval test already excludes the type's rate, and a normal
 * approximation's "99.99 %" over a few dozen outcomes would claim more than the data can.
 */
function evidenceWords(certainty: number): string {
  return certainty >= 0.999 ? "very strong evidence" : certainty >= 0.99 ? "strong evidence" : "clear evidence";
}

export function OptimizerView({ canApply }: { canApply: boolean }) {
  const window = useWindow();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const suggestions = useQuery({
    queryKey: analyticsKeys.suggestions(window),
    queryFn: () => fetchSuggestions(window),
  });
  const history = useQuery({ queryKey: analyticsKeys.history, queryFn: fetchHistory });
  const refresh = () => queryClient.invalidateQueries({ queryKey: analyticsKeys.optimizer });
  const apply = useMutation({
    mutationFn: () => applySuggestions(window),
    onSuccess: () => {
      setConfirming(false);
      void refresh();
    },
  });
  const undo = useMutation({ mutationFn: undoChange, onSuccess: () => void refresh() });
  const list = suggestions.data?.suggestions ?? [];
  const changing = list.filter(
    (s) => s.evidence.proposedWeight !== null && s.evidence.proposedWeight !== s.evidence.ruleWeight,
  );
  const error = apply.error ?? undo.error;
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-zinc-700 dark:text-zinc-300">
          An agent is flagged only when its whole 95% interval lies above (prefer) or below (avoid) its task
          type&rsquo;s success rate, over at least 10 outcomes.
        </p>
        <WindowSwitch />
      </div>
      {error && (
        <Alert tone="error" className="mb-4">
          {error instanceof ApiError ? error.message : String(error)}
        </Alert>
      )}
      <Card className="mb-6">
        <CardHeader
          title="Suggestions"
          description={
            suggestions.data
              ? `${list.length} suggestion${list.length === 1 ? "" : "s"}; applying changes ${changing.length} routing rule${changing.length === 1 ? "" : "s"}.`
              : undefined
          }
          actions={
            canApply && (
              <Button onClick={() => setConfirming(true)} disabled={!changing.length}>
                Apply…
              </Button>
            )
          }
        />
        {suggestions.isPending ? (
          <div className="p-5">
            <Skeleton className="h-32" />
          </div>
        ) : !list.length ? (
          <EmptyState title="Nothing stands out">
            No agent is clearly better or worse than the rest at any task type in this window.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Suggestions">
            {list.map((s) => (
              <li
                key={`${s.kind}/${s.agent}/${s.taskType}`}
                className="px-5 py-4"
                data-suggestion={`${s.kind}:${s.agent}:${s.taskType}`}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={s.kind === "prefer" ? "green" : "red"}>{s.kind}</Badge>
                  <span className="font-medium">{s.agent}</span>
                  <span className="text-sm text-zinc-600 dark:text-zinc-400">for {s.taskType}</span>
                  {s.applied ? (
                    <Badge tone="gray">
                      applied <RelativeTime iso={s.applied.at} /> by {s.applied.by}
                    </Badge>
                  ) : (
                    s.evidence.proposedWeight === null && <Badge tone="gray">advice only</Badge>
                  )}
                  <span className="ml-auto text-xs text-zinc-600 dark:text-zinc-400">
                    {evidenceWords(s.evidence.certainty)}
                  </span>
                </div>
                <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{s.reason}</p>
                <div className="mt-2 flex flex-wrap items-center gap-3 text-xs text-zinc-600 dark:text-zinc-400">
                  <IntervalBar item={{ interval: s.evidence.interval, successRate: s.evidence.successRate }} />
                  <span>
                    {s.evidence.successes}/{s.evidence.tasks} · interval {percent(s.evidence.interval[0])}–
                    {percent(s.evidence.interval[1])} · type {percent(s.evidence.typeRate)} over {s.evidence.typeTasks}
                  </span>
                  <span>
                    rule weight {s.evidence.ruleWeight?.toFixed(2) ?? "none"}
                    {s.evidence.proposedWeight !== null && <> → {s.evidence.proposedWeight.toFixed(2)}</>}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <CardHeader title="History" description="Each application of the suggestions, and what it changed." />
        {history.isPending ? (
          <div className="p-5">
            <Skeleton className="h-20" />
          </div>
        ) : !history.data?.length ? (
          <EmptyState title="Never applied" />
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="History">
            {history.data.map((h) => (
              <li key={h.id} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm" data-change={h.id}>
                <span>
                  Applied by {h.appliedBy} <RelativeTime iso={h.appliedAt} />:{" "}
                  {h.changes.length
                    ? h.changes
                        .map(
                          (c) =>
                            `${c.agent}/${c.pattern} ${c.before?.weight.toFixed(2) ?? "new"} → ${c.after.toFixed(2)}`,
                        )
                        .join(", ")
                    : "no rule changed"}
                </span>
                {h.undoneAt ? (
                  <span className="ml-auto text-xs text-zinc-600 dark:text-zinc-400">
                    undone by {h.undoneBy} <RelativeTime iso={h.undoneAt} />
                  </span>
                ) : (
                  canApply && (
                    <Button
                      size="sm"
                      variant="secondary"
                      className="ml-auto"
                      loading={undo.isPending && undo.variables === h.id}
                      onClick={() => undo.mutate(h.id)}
                    >
                      Undo
                    </Button>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Apply the suggestions?"
        description={`${changing.length} routing rule weight${changing.length === 1 ? "" : "s"} change. You can undo it from the history.`}
      >
        <ul className="mb-4 space-y-1 text-sm">
          {changing.map((s) => (
            <li key={`${s.agent}/${s.taskType}`}>
              {s.agent} on {s.taskType}: {s.evidence.ruleWeight?.toFixed(2) ?? "no rule"} →{" "}
              {s.evidence.proposedWeight?.toFixed(2)}
            </li>
          ))}
        </ul>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setConfirming(false)}>
            Keep the rules
          </Button>
          <Button loading={apply.isPending} onClick={() => apply.mutate()}>
            Apply
          </Button>
        </div>
      </Dialog>
    </>
  );
}
