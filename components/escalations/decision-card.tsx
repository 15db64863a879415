"use client";
// One escalation as a decision card: everything needed to decide it, the suggested choice preselected,
// numbered choices (keys 1–9), a note, and the actions. The inbox owns focus and keys; this draws the card.
import Link from "next/link";
import { forwardRef } from "react";
import { BallotList } from "@/components/votes/ballot-list";
import { ScoreChart } from "@/components/votes/score-chart";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input, Select, Options } from "@/components/ui/form";
import { RelativeTime } from "@/components/ui/time";
import { PriorityBadge } from "@/components/queue/task-badges";
import type { EscalationWithContext } from "@/lib/escalations/context";
import { describeResolution, KIND_LABEL } from "@/lib/escalations/describe";

export type Decision = { option: string } | { assignee: string } | { action: "retry" | "cancel" | "dismiss" };

/** The numbered choices of a card: a vote's options, or the router's top agents. */
export function choicesOf(e: EscalationWithContext): string[] {
  if (e.kind === "vote") return e.context.vote?.options ?? [];
  return (e.context.candidates ?? []).map((c) => c.agent);
}

/** What pressing `a` applies: the card's current choice (the suggestion unless the person picked another). */
export function acceptDecision(e: EscalationWithContext, choice: string | undefined): Decision | null {
  const can = e.context.actions;
  if (e.kind === "vote") return choice && can.includes("decide") ? { option: choice } : null;
  if (choice && can.includes("assign")) return { assignee: choice };
  return e.context.suggestion?.kind === "retry" && can.includes("retry") ? { action: "retry" } : null;
}

/** The decision in words, for the undo notice: "Assigned task-… to kimi". */
export function describeChoice(e: EscalationWithContext, d: Decision): string {
  const what = e.kind === "vote" ? `vote ${e.subjectId}` : `task ${e.subjectId}`;
  if ("option" in d) return `Decided “${d.option}” for ${what}.`;
  if ("assignee" in d) return `Assigned ${what} to ${d.assignee}.`;
  return { retry: `Retrying ${what}.`, cancel: `Cancelling ${what}.`, dismiss: `Dismissed the escalation of ${what}.` }[
    d.action
  ];
}

export function defaultChoice(e: EscalationWithContext): string | undefined {
  const s = e.context.suggestion;
  return s?.kind === "option" ? s.option : s?.kind === "assignee" ? s.agent : undefined;
}

const ENDING: Record<string, string> = {
  completed: "completed",
  failed: "failed",
  retry: "failed, asked to retry",
  released: "released it",
  lease_expired: "lease ran out",
  cancelled: "cancelled",
};

interface Props {
  escalation: EscalationWithContext;
  focused: boolean;
  selected: boolean;
  choice: string | undefined;
  note: string;
  agents: string[];
  canDecide: boolean;
  busy: boolean;
  error: string | null;
  onFocus: () => void;
  onSelect: (selected: boolean) => void;
  onChoose: (choice: string) => void;
  onNote: (note: string) => void;
  onDecide: (decision: Decision) => void;
  noteRef: (el: HTMLInputElement | null) => void;
}

/** A key's hint: on a phone there is no keyboard to press it with. */
function Key({ children }: { children: React.ReactNode }) {
  return (
    <kbd className="ml-1 hidden rounded bg-black/10 px-1 font-mono text-[11px] sm:inline dark:bg-white/10">
      {children}
    </kbd>
  );
}

/** The two highest scores are equal: no option is ahead. */
export function isTie(scores: Record<string, number>): boolean {
  const [a, b] = Object.values(scores).sort((x, y) => y - x);
  return a !== undefined && b !== undefined && Math.abs(a - b) < 1e-9;
}

export const DecisionCard = forwardRef<HTMLElement, Props>(function DecisionCard(props, ref) {
  const { escalation: e, focused, selected, choice, note, agents, canDecide, busy, error, noteRef, onFocus } = props;
  const { vote, task, attempts, candidates, suggestion } = e.context;
  const choices = choicesOf(e);
  const open = e.state === "open";
  const subjectHref = e.kind === "vote" ? `/votes/${e.subjectId}` : `/queue/${e.subjectId}`;
  const accept = acceptDecision(e, choice);
  const can = e.context.actions;
  const tie = vote ? isTie(vote.scores) : false;
  const otherAgents = agents.filter((a) => !choices.includes(a));
  return (
    <article
      ref={ref}
      tabIndex={focused ? 0 : -1}
      onFocus={onFocus}
      data-escalation={e.id}
      data-focused={focused || undefined}
      aria-label={`${KIND_LABEL[e.kind]} escalation ${e.subjectId}: ${e.reason}`}
      className={cn(
        "rounded-xl border bg-white p-4 shadow-sm outline-none sm:p-5 dark:bg-zinc-900",
        focused ? "border-indigo-500 ring-2 ring-indigo-500/40" : "border-zinc-200 dark:border-zinc-800",
      )}
    >
      <header className="flex flex-wrap items-start gap-x-3 gap-y-1">
        {open && canDecide && (
          <input
            type="checkbox"
            className="mt-1 size-4 accent-indigo-600"
            checked={selected}
            onChange={(ev) => props.onSelect(ev.target.checked)}
            aria-label={`Select ${e.subjectId}`}
          />
        )}
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <Badge tone={e.kind === "task" ? "red" : e.kind === "routing" ? "amber" : "indigo"}>
              {KIND_LABEL[e.kind]}
            </Badge>
            <Link href={subjectHref} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
              {e.subjectId}
            </Link>
            <RelativeTime iso={e.createdAt} />
          </div>
          <h3 className="mt-1.5 text-base font-semibold text-zinc-900 dark:text-zinc-100">
            {vote?.question ?? task?.title ?? e.subjectId}
          </h3>
          <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300">{e.reason}</p>
        </div>
      </header>

      {task && (
        <div className="mt-3 space-y-2 text-sm">
          <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
            <span>
              type <span className="font-medium text-zinc-800 dark:text-zinc-200">{task.type}</span>
            </span>
            <PriorityBadge priority={task.priority} />
            <span>
              {task.attempts} of {task.maxAttempts} attempts used
            </span>
            {task.assignee && <span>assigned to {task.assignee}</span>}
          </div>
          {task.description && (
            <p className="line-clamp-3 whitespace-pre-line text-zinc-700 dark:text-zinc-300">{task.description}</p>
          )}
          {!!attempts?.length && (
            <ol className="space-y-1 border-l-2 border-zinc-200 pl-3 dark:border-zinc-700" aria-label="Attempts">
              {attempts.map((a) => (
                <li key={a.number} className="text-xs text-zinc-700 dark:text-zinc-300">
                  <span className="font-medium">
                    #{a.number} {a.agent}
                  </span>{" "}
                  · <RelativeTime iso={a.startedAt} /> · {a.ending ? ENDING[a.ending] : "still working"}
                  {a.summary && <span className="text-zinc-600 dark:text-zinc-400"> — “{a.summary}”</span>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}

      {vote && (
        <div className="mt-3 grid gap-4 md:grid-cols-2">
          <ScoreChart vote={vote} highlight={choice} />
          <BallotList
            ballots={vote.ballots}
            waitingFor={vote.voters.filter((v) => !vote.ballots.some((b) => b.voter === v))}
          />
        </div>
      )}

      {open && canDecide ? (
        <div className="mt-4 space-y-3">
          <fieldset hidden={!can.includes("assign") && !can.includes("decide")}>
            <legend className="mb-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">
              {e.kind === "vote" ? "Decide the option" : "Assign to"}
              {suggestion && (
                <span className="font-normal">
                  {" "}
                  · suggested:{" "}
                  {suggestion.kind === "option"
                    ? suggestion.option
                    : suggestion.kind === "assignee"
                      ? suggestion.agent
                      : "retry"}{" "}
                  ({suggestion.why})
                </span>
              )}
              {tie && (
                <span className="font-normal" data-testid="tie">
                  {" "}
                  · a tie: no option is ahead, so nothing is suggested
                </span>
              )}
            </legend>
            <div className="flex flex-wrap gap-2">
              {choices.map((c, i) => {
                const cand = candidates?.find((x) => x.agent === c);
                return (
                  <label
                    key={c}
                    className={cn(
                      "flex cursor-pointer items-center gap-2 rounded-md border px-2.5 py-1.5 text-sm",
                      choice === c
                        ? "border-indigo-500 bg-indigo-50 dark:bg-indigo-500/10"
                        : "border-zinc-300 dark:border-zinc-700",
                    )}
                    title={cand?.reason}
                  >
                    <input
                      type="radio"
                      name={`choice-${e.id}`}
                      className="accent-indigo-600"
                      checked={choice === c}
                      onChange={() => props.onChoose(c)}
                    />
                    <kbd className="hidden rounded bg-zinc-100 px-1 font-mono text-[11px] text-zinc-700 sm:inline dark:bg-zinc-800 dark:text-zinc-300">
                      {i + 1}
                    </kbd>
                    <span>{c}</span>
                    {cand && (
                      <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                        {cand.final.toFixed(2)}
                      </span>
                    )}
                    {vote && (
                      <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
                        {(vote.scores[c] ?? 0).toFixed(2)}
                      </span>
                    )}
                  </label>
                );
              })}
              {e.kind !== "vote" && (
                <Select
                  aria-label={`Another agent for ${e.subjectId}`}
                  className="h-9 w-40 text-xs"
                  value={choice && !choices.includes(choice) ? choice : ""}
                  onChange={(ev) => ev.target.value && props.onChoose(ev.target.value)}
                >
                  <option value="">Another agent…</option>
                  <Options values={otherAgents} />
                </Select>
              )}
            </div>
            {!!candidates?.length && (
              <ul
                className="mt-2 space-y-0.5 text-xs text-zinc-600 dark:text-zinc-400"
                aria-label="Why the router suggests them"
              >
                {candidates.map((c) => (
                  <li key={c.agent}>
                    <span className="font-medium text-zinc-700 dark:text-zinc-300">{c.agent}</span> {c.final.toFixed(2)}{" "}
                    ({c.status}) — {c.reason}
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
          <div className="flex flex-wrap items-center gap-2">
            <Input
              ref={noteRef}
              value={note}
              onChange={(ev) => props.onNote(ev.target.value)}
              onKeyDown={(ev) => {
                if (ev.key === "Enter" && accept) {
                  ev.preventDefault();
                  props.onDecide(accept);
                }
              }}
              placeholder="Note"
              aria-label={`Note for ${e.subjectId}`}
              className="h-9 min-w-0 flex-1 basis-48"
            />
            {accept && (
              <Button size="md" loading={busy} onClick={() => props.onDecide(accept)}>
                {e.kind === "vote" ? "Decide" : "action" in accept ? "Retry" : "Assign"}
                <Key>a</Key>
              </Button>
            )}
            {can.includes("retry") && !(accept && "action" in accept) && (
              <Button variant="secondary" onClick={() => props.onDecide({ action: "retry" })} disabled={busy}>
                Retry <Key>r</Key>
              </Button>
            )}
            {can.includes("cancel") && (
              <Button variant="ghost" onClick={() => props.onDecide({ action: "cancel" })} disabled={busy}>
                Cancel task <Key>c</Key>
              </Button>
            )}
            <Button variant="ghost" onClick={() => props.onDecide({ action: "dismiss" })} disabled={busy}>
              Dismiss
            </Button>
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-400">
              {error}
            </p>
          )}
        </div>
      ) : (
        <p className="mt-3 text-sm font-medium text-zinc-800 dark:text-zinc-200" data-testid="resolution">
          {describeResolution(e)}
          {e.resolvedAt && (
            <span className="font-normal text-zinc-600 dark:text-zinc-400">
              {" "}
              · <RelativeTime iso={e.resolvedAt} />
            </span>
          )}
        </p>
      )}
    </article>
  );
});
