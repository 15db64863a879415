"use client";
// The orchestrator's inbox: one decision card per escalation, the suggestion preselected, decided with one
// key. j/k move, enter opens, a accepts, 1–9 choose, r retry, c cancel, n note, x select, u undo; ? lists them.
// Keys work from the moment the page opens (they are read on the document, not on a focused card).
// A decision waits a few seconds with an Undo before it is sent; leaving the page sends what is waiting.
// Decided shows the history of decisions.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { Select } from "@/components/ui/form";
import { ApiError } from "@/lib/client/api";
import type { EscalationWithContext } from "@/lib/escalations/context";
import type { DecideInput } from "@/lib/escalations/schema";
import type { Page } from "@/lib/http/list";
import { acceptDecision, choicesOf, DecisionCard, defaultChoice, describeChoice, type Decision } from "./decision-card";
import { DecisionHistory } from "./decision-history";
import { decideEscalation, escalationKeys, fetchInbox, type InboxKind, type InboxState } from "./queries";
import { queueKeys, voteKeys } from "@/components/live/keys";

/** How long a decision can be taken back before it is sent. */
export const UNDO_MS = 5000;

const SHORTCUTS: [string, string][] = [
  ["j / k", "next / previous card"],
  ["enter", "open the task or vote"],
  ["a", "accept the preselected choice"],
  ["1–9", "choose an option or agent"],
  ["r", "retry the task"],
  ["c", "cancel the task"],
  ["n", "write a note (enter applies, esc returns)"],
  ["x", "select for a bulk decision"],
  ["u", "undo the last decision (while it is offered)"],
  ["?", "show these keys"],
];

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

interface Waiting {
  e: EscalationWithContext;
  body: DecideInput;
  label: string;
  timer: ReturnType<typeof setTimeout>;
}

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
  // Decisions inside their undo window (not sent yet), and those on their way to the server.
  // The ref is the truth for handlers and timers (two quick keys see each other); the state renders it.
  const [waiting, setWaitingState] = useState<Waiting[]>([]);
  const [sending, setSending] = useState<Set<string>>(new Set());
  const waitingRef = useRef<Waiting[]>([]);
  const setWaiting = useCallback((change: (xs: Waiting[]) => Waiting[]) => {
    waitingRef.current = change(waitingRef.current);
    setWaitingState(waitingRef.current);
  }, []);
  const cards = useRef(new Map<string, HTMLElement>());
  const noteFields = useRef(new Map<string, HTMLInputElement>());
  const refocus = useRef(false);
  const key = escalationKeys.inbox("open", kind);
  const list = useQuery({ queryKey: key, queryFn: () => fetchInbox("open", kind), enabled: state === "open" });
  const hidden = useMemo(() => new Set([...waiting.map((w) => w.e.id), ...sending]), [waiting, sending]);
  const items = useMemo(() => (list.data?.items ?? []).filter((e) => !hidden.has(e.id)), [list.data, hidden]);
  const current = items[Math.min(focus, items.length - 1)];

  const choiceOf = useCallback((e: EscalationWithContext) => choices[e.id] ?? defaultChoice(e), [choices]);

  /** Sends a decision whose undo window ended (or that must go now: the page is being left). */
  const send = useCallback(
    (w: Waiting, keepalive = false) => {
      clearTimeout(w.timer);
      setWaiting((xs) => xs.filter((x) => x.e.id !== w.e.id));
      setSending((s) => new Set(s).add(w.e.id));
      decideEscalation(w.e.id, w.body, keepalive)
        .then(() => {
          queryClient.setQueryData<Page<EscalationWithContext>>(
            key,
            (page) => page && { ...page, items: page.items.filter((x) => x.id !== w.e.id) },
          );
          setErrors(({ [w.e.id]: _, ...rest }) => rest);
          void queryClient.invalidateQueries({ queryKey: escalationKeys.all });
          void queryClient.invalidateQueries({ queryKey: queueKeys.all });
          void queryClient.invalidateQueries({ queryKey: voteKeys.all });
        })
        .catch((error) =>
          setErrors((x) => ({ ...x, [w.e.id]: error instanceof ApiError ? error.message : String(error) })),
        )
        .finally(() =>
          setSending((s) => {
            const next = new Set(s);
            next.delete(w.e.id);
            return next;
          }),
        );
    },
    [key, queryClient, setWaiting],
  );

  const apply = useCallback(
    (e: EscalationWithContext | undefined, decision: Decision | null) => {
      if (!e || !decision || !canDecide || e.state !== "open") return;
      if (waitingRef.current.some((w) => w.e.id === e.id)) return;
      const note = notes[e.id]?.trim();
      const body = { ...decision, ...(note ? { note } : {}) } as DecideInput;
      const w: Waiting = { e, body, label: describeChoice(e, decision), timer: setTimeout(() => send(w), UNDO_MS) };
      // The card leaves at once; focus stays at the same place, which is now the next card.
      refocus.current = true;
      setWaiting((xs) => [...xs, w]);
      setSelected((s) => {
        const next = new Set(s);
        next.delete(e.id);
        return next;
      });
      setErrors(({ [e.id]: _, ...rest }) => rest);
    },
    [canDecide, notes, send, setWaiting],
  );

  const undo = useCallback(
    (id?: string) => {
      const w = id ? waitingRef.current.find((x) => x.e.id === id) : waitingRef.current.at(-1);
      if (!w) return;
      clearTimeout(w.timer);
      setWaiting((xs) => xs.filter((x) => x !== w));
      requestAnimationFrame(() => cards.current.get(w.e.id)?.focus());
    },
    [setWaiting],
  );

  // Leaving the page (another page of the app, or closing the tab) sends what is still waiting.
  const flush = useEffectEvent(() => waitingRef.current.forEach((w) => send(w, true)));
  useEffect(() => {
    const onHide = () => flush();
    window.addEventListener("pagehide", onHide);
    return () => {
      window.removeEventListener("pagehide", onHide);
      onHide();
    };
  }, []);

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

  // A link to one card (/escalations#esc-…, from a notification, a mail or a chat message) focuses that card once.
  const linked = useRef(false);
  const focusLinked = useEffectEvent(() => {
    if (linked.current || !items.length) return;
    const id = decodeURIComponent(window.location.hash.slice(1));
    const i = id ? items.findIndex((e) => e.id === id) : -1;
    if (i < 0) return;
    linked.current = true;
    setFocus(i);
    const card = cards.current.get(id);
    card?.focus({ preventScroll: true });
    card?.scrollIntoView({ block: "center" });
  });
  useEffect(() => {
    // After the cards are laid out, so the linked one can be scrolled to.
    const frame = requestAnimationFrame(() => focusLinked());
    return () => cancelAnimationFrame(frame);
  }, [items]);

  const toggle = useCallback((id: string, on: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  // Keys on the whole document: they work on a fresh page, before anything was clicked.
  const onKey = useEffectEvent((ev: KeyboardEvent) => {
    if (ev.metaKey || ev.ctrlKey || ev.altKey || ev.defaultPrevented) return;
    if (typing(ev.target)) {
      if (ev.key === "Escape" && current) cards.current.get(current.id)?.focus();
      return;
    }
    // A dialog (this page's shortcuts, a confirmation) owns the keys while it is open.
    if (document.querySelector("[role=dialog], [role=alertdialog]")) return;
    const k = ev.key;
    if (k === "?") setHelp(true);
    else if (k === "u" && waitingRef.current.length) undo();
    else if (state !== "open") return;
    else if (k === "j" || k === "ArrowDown") {
      refocus.current = true;
      setFocus((f) => Math.min(f + 1, items.length - 1));
    } else if (k === "k" || k === "ArrowUp") {
      refocus.current = true;
      setFocus((f) => Math.max(f - 1, 0));
    } else if (k === "Enter" && current && (ev.target === document.body || ev.target === cards.current.get(current.id)))
      router.push(current.kind === "vote" ? `/votes/${current.subjectId}` : `/queue/${current.subjectId}`);
    else if (k === "a") apply(current, current ? acceptDecision(current, choiceOf(current)) : null);
    else if (k === "r" && current?.context.actions.includes("retry")) apply(current, { action: "retry" });
    else if (k === "c" && current?.context.actions.includes("cancel")) apply(current, { action: "cancel" });
    else if (k === "n" && current) noteFields.current.get(current.id)?.focus();
    else if (k === "x" && current) toggle(current.id, !selected.has(current.id));
    else if (/^[1-9]$/.test(k) && current) {
      const c = choicesOf(current)[Number(k) - 1];
      if (c) setChoices((x) => ({ ...x, [current.id]: c }));
    } else return;
    ev.preventDefault();
  });
  useEffect(() => {
    const listener = (ev: KeyboardEvent) => onKey(ev);
    document.addEventListener("keydown", listener);
    return () => document.removeEventListener("keydown", listener);
  }, []);

  const picked = items.filter((e) => selected.has(e.id));
  const bulk = (make: (e: EscalationWithContext) => Decision | null) => picked.forEach((e) => apply(e, make(e)));
  const all = (action: "retry" | "cancel") => picked.every((e) => e.context.actions.includes(action));

  return (
    <section aria-label="Escalations">
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
        {/* A phone has no keyboard to press them with. */}
        <div className="ml-auto hidden sm:block">
          <Button variant="ghost" size="sm" onClick={() => setHelp(true)} aria-keyshortcuts="?">
            Keyboard <kbd className="font-mono">?</kbd>
          </Button>
        </div>
      </div>

      {state === "resolved" ? (
        <DecisionHistory kind={kind} />
      ) : (
        <>
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
              {all("retry") && (
                <Button size="sm" variant="secondary" onClick={() => bulk(() => ({ action: "retry" }))}>
                  Retry all
                </Button>
              )}
              {all("cancel") && (
                <Button size="sm" variant="secondary" onClick={() => bulk(() => ({ action: "cancel" }))}>
                  Cancel all
                </Button>
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
            <Skeletons count={2} row="h-40" className="space-y-3" />
          ) : items.length === 0 ? (
            <div className="rounded-xl border border-dashed border-zinc-300 dark:border-zinc-700">
              <EmptyState title="Nothing needs you">
                The agents are settling everything themselves. Escalations appear here the moment they open.
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
                  busy={false}
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
        </>
      )}

      {waiting.length > 0 && (
        <div
          role="status"
          aria-label="Decisions about to be sent"
          className="fixed inset-x-3 bottom-3 z-30 mx-auto max-w-md space-y-2 sm:right-6 sm:bottom-6 sm:left-auto"
        >
          {waiting.map((w) => (
            <div
              key={w.e.id}
              data-undo={w.e.id}
              className="flex items-center gap-3 rounded-lg bg-zinc-900 px-4 py-3 text-sm text-white shadow-lg dark:bg-zinc-100 dark:text-zinc-900"
            >
              <span className="min-w-0 flex-1 break-words">{w.label}</span>
              <button
                type="button"
                onClick={() => undo(w.e.id)}
                className="shrink-0 rounded px-2 py-1 font-semibold text-indigo-300 hover:bg-white/10 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:text-indigo-700 dark:hover:bg-zinc-900/10"
              >
                Undo <kbd className="ml-1 hidden font-mono text-[11px] opacity-80 sm:inline">u</kbd>
              </button>
            </div>
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
