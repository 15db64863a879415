"use client";
// The orchestrator's inbox: one decision card per escalation, the suggestion preselected, decided with one
// key. j/k move, enter opens, a accepts, 1–9 choose, r retry, c cancel, n note, x select; ? lists them.
// After a decision focus moves to the next card; the badge and the tab's title follow at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { Select } from "@/components/ui/form";
import { ApiError } from "@/lib/client/api";
import type { EscalationWithContext } from "@/lib/escalations/context";
import type { DecideInput } from "@/lib/escalations/schema";
import type { Page } from "@/lib/http/list";
import { acceptDecision, choicesOf, DecisionCard, defaultChoice, type Decision } from "./decision-card";
import { decideEscalation, escalationKeys, fetchInbox, type InboxKind, type InboxState } from "./queries";
import { queueKeys, voteKeys } from "@/components/live/keys";

const SHORTCUTS: [string, string][] = [
  ["j / k", "next / previous card"],
  ["enter", "open the task or vote"],
  ["a", "accept the preselected choice"],
  ["1–9", "choose an option or agent"],
  ["r", "retry the task"],
  ["c", "cancel the task"],
  ["n", "write a note (enter applies, esc returns)"],
  ["x", "select for a bulk decision"],
  ["?", "show these keys"],
];

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

export function EscalationInbox({ agents, canDecide }: { agents: string[]; canDecide: boolean }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const [state, setState] = useState<InboxState>("open");
  const [kind, setKind] = useState<InboxKind>("");
  const [focus, setFocus] = useState(0);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [help, setHelp] = useState(false);
  const cards = useRef(new Map<string, HTMLElement>());
  const noteFields = useRef(new Map<string, HTMLInputElement>());
  const refocus = useRef(false);
  const key = escalationKeys.inbox(state, kind);
  const list = useQuery({ queryKey: key, queryFn: () => fetchInbox(state, kind) });
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const current = items[Math.min(focus, items.length - 1)];

  const choiceOf = useCallback((e: EscalationWithContext) => choices[e.id] ?? defaultChoice(e), [choices]);

  const decide = useMutation({
    mutationFn: ({ e, decision }: { e: EscalationWithContext; decision: Decision }) => {
      const note = notes[e.id]?.trim();
      return decideEscalation(e.id, { ...decision, ...(note ? { note } : {}) } as DecideInput);
    },
    onSuccess: (_, { e }) => {
      // The card leaves at once; focus stays at the same place, which is now the next card.
      refocus.current = true;
      queryClient.setQueryData<Page<EscalationWithContext>>(
        key,
        (page) => page && { ...page, items: page.items.filter((x) => x.id !== e.id) },
      );
      setSelected((s) => {
        const next = new Set(s);
        next.delete(e.id);
        return next;
      });
      setErrors(({ [e.id]: _, ...rest }) => rest);
      void queryClient.invalidateQueries({ queryKey: escalationKeys.all });
      void queryClient.invalidateQueries({ queryKey: queueKeys.all });
      void queryClient.invalidateQueries({ queryKey: voteKeys.all });
    },
    onError: (error, { e }) =>
      setErrors((x) => ({ ...x, [e.id]: error instanceof ApiError ? error.message : String(error) })),
  });

  const apply = useCallback(
    (e: EscalationWithContext | undefined, decision: Decision | null) => {
      if (!e || !decision || !canDecide || e.state !== "open") return;
      decide.mutate({ e, decision });
    },
    [canDecide, decide],
  );

  // Move focus to the focused card when keys moved it, or when a decision took the card that had it (the next
  // card slides into its place) — never while the person is elsewhere on the page.
  useEffect(() => {
    if (!items.length) return;
    const el = cards.current.get(items[Math.min(focus, items.length - 1)]!.id);
    const active = document.activeElement;
    const onCard = active instanceof HTMLElement && active.matches("[data-escalation]");
    if (el && (refocus.current || onCard) && active !== el) el.focus();
    refocus.current = false;
  }, [items, focus]);

  function onKeyDown(ev: React.KeyboardEvent) {
    if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
    if (typing(ev.target)) {
      if (ev.key === "Escape" && current) cards.current.get(current.id)?.focus();
      return;
    }
    const k = ev.key;
    if (k === "?") setHelp(true);
    else if (k === "j" || k === "ArrowDown") setFocus((f) => Math.min(f + 1, items.length - 1));
    else if (k === "k" || k === "ArrowUp") setFocus((f) => Math.max(f - 1, 0));
    else if (k === "Enter" && current)
      router.push(current.kind === "vote" ? `/votes/${current.subjectId}` : `/queue/${current.subjectId}`);
    else if (k === "a") apply(current, current ? acceptDecision(current, choiceOf(current)) : null);
    else if (k === "r" && current?.kind === "task") apply(current, { action: "retry" });
    else if (k === "c" && current?.kind === "task") apply(current, { action: "cancel" });
    else if (k === "n" && current) noteFields.current.get(current.id)?.focus();
    else if (k === "x" && current) toggle(current.id, !selected.has(current.id));
    else if (/^[1-9]$/.test(k) && current) {
      const c = choicesOf(current)[Number(k) - 1];
      if (c) setChoices((x) => ({ ...x, [current.id]: c }));
    } else return;
    ev.preventDefault();
  }

  function toggle(id: string, on: boolean) {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  const picked = items.filter((e) => selected.has(e.id));
  const bulk = (make: (e: EscalationWithContext) => Decision | null) => picked.forEach((e) => apply(e, make(e)));

  return (
    <section aria-label="Escalations" onKeyDown={onKeyDown}>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div
          role="tablist"
          aria-label="Show"
          className="inline-flex rounded-lg border border-zinc-200 bg-white p-0.5 dark:border-zinc-800 dark:bg-zinc-900"
        >
          {(["open", "resolved"] as const).map((s) => (
            <button
              key={s}
              role="tab"
              aria-selected={state === s}
              onClick={() => {
                setState(s);
                setFocus(0);
                setSelected(new Set());
              }}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${state === s ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900" : "text-zinc-700 dark:text-zinc-300"}`}
            >
              {s === "open" ? "Waiting" : "Decided"}
            </button>
          ))}
        </div>
        <Select aria-label="Kind" className="w-36" value={kind} onChange={(e) => setKind(e.target.value as InboxKind)}>
          <option value="">All kinds</option>
          <option value="vote">Votes</option>
          <option value="task">Tasks</option>
          <option value="routing">Routing</option>
        </Select>
        <Button variant="ghost" size="sm" className="ml-auto" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Keyboard <kbd className="font-mono">?</kbd>
        </Button>
      </div>

      {picked.length > 0 && (
        <div
          role="region"
          aria-label="Bulk decision"
          className="sticky top-16 z-10 mb-4 flex flex-wrap items-center gap-2 rounded-lg border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm dark:border-indigo-500/30 dark:bg-indigo-500/10"
        >
          <span className="font-medium">{picked.length} selected</span>
          <Button size="sm" onClick={() => bulk((e) => acceptDecision(e, choiceOf(e)))}>
            Accept suggestions
          </Button>
          {picked.every((e) => e.kind === "task") && (
            <>
              <Button size="sm" variant="secondary" onClick={() => bulk(() => ({ action: "retry" }))}>
                Retry all
              </Button>
              <Button size="sm" variant="secondary" onClick={() => bulk(() => ({ action: "cancel" }))}>
                Cancel all
              </Button>
            </>
          )}
          <Button size="sm" variant="ghost" onClick={() => bulk(() => ({ action: "dismiss" }))}>
            Dismiss all
          </Button>
          <Button size="sm" variant="ghost" className="ml-auto" onClick={() => setSelected(new Set())}>
            Clear
          </Button>
        </div>
      )}

      <QueryError error={list.error} what="the inbox" className="mb-4" />
      {list.isPending ? (
        <div className="space-y-3">
          <Skeleton className="h-40" />
          <Skeleton className="h-40" />
        </div>
      ) : items.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 dark:border-zinc-700">
          <EmptyState title={state === "open" ? "Nothing needs you" : "Nothing decided yet"}>
            {state === "open"
              ? "The agents are settling everything themselves. Escalations appear here the moment they open."
              : "Decisions you make show up here."}
          </EmptyState>
        </div>
      ) : (
        <div className="space-y-3">
          {items.map((e, i) => (
            <DecisionCard
              key={e.id}
              ref={(el) => {
                if (el) cards.current.set(e.id, el);
                else cards.current.delete(e.id);
              }}
              noteRef={(el) => {
                if (el) noteFields.current.set(e.id, el);
                else noteFields.current.delete(e.id);
              }}
              escalation={e}
              focused={i === Math.min(focus, items.length - 1)}
              selected={selected.has(e.id)}
              choice={choiceOf(e)}
              note={notes[e.id] ?? ""}
              agents={agents}
              canDecide={canDecide}
              busy={decide.isPending && decide.variables?.e.id === e.id}
              error={errors[e.id] ?? null}
              onFocus={() => setFocus(i)}
              onSelect={(on) => toggle(e.id, on)}
              onChoose={(c) => setChoices((x) => ({ ...x, [e.id]: c }))}
              onNote={(n) => setNotes((x) => ({ ...x, [e.id]: n }))}
              onDecide={(d) => apply(e, d)}
            />
          ))}
        </div>
      )}

      <Dialog
        open={help}
        onClose={() => setHelp(false)}
        title="Keyboard shortcuts"
        description="In the inbox, without a field focused."
      >
        <dl className="grid grid-cols-[6rem_1fr] gap-x-4 gap-y-1.5 text-sm">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">{keys}</kbd>
              </dt>
              <dd className="text-zinc-700 dark:text-zinc-300">{what}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
    </section>
  );
}
