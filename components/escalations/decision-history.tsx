"use client";
// The inbox's Decided tab: a readable history of decisions, the most recent first — when, who, what was decided
// about which task or vote, the note, and why it had come to a person.
import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState, QueryError, Skeletons } from "@/components/ui/feedback";
import { RelativeTime } from "@/components/ui/time";
import type { EscalationDto } from "@/lib/escalations/schema";
import { describeDecision, KIND_LABEL } from "@/lib/escalations/describe";
import { escalationKeys, fetchDecided, type InboxKind } from "./queries";

const TONE = { task: "red", routing: "amber", vote: "indigo" } as const;

function Entry({ e }: { e: EscalationDto }) {
  const href = e.kind === "vote" ? `/votes/${e.subjectId}` : `/queue/${e.subjectId}`;
  const note = typeof e.resolution?.note === "string" ? e.resolution.note.trim() : "";
  return (
    <li
      data-decision={e.id}
      aria-label={`${KIND_LABEL[e.kind]} escalation ${e.subjectId}`}
      className="grid gap-x-4 gap-y-1 px-4 py-3 sm:grid-cols-[8rem_1fr] sm:px-5"
    >
      <div className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {e.resolvedAt && <RelativeTime iso={e.resolvedAt} />}
      </div>
      <div className="min-w-0 space-y-1">
        <p className="text-sm text-zinc-900 dark:text-zinc-100">
          <span className="font-medium" data-testid="resolution">
            {describeDecision(e)}
          </span>{" "}
          <span className="text-zinc-600 dark:text-zinc-400">by {e.resolvedBy ?? "someone"}</span>
        </p>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
          <Badge tone={TONE[e.kind]}>{KIND_LABEL[e.kind]}</Badge>
          <Link href={href} className="font-medium break-words text-indigo-700 hover:underline dark:text-indigo-300">
            {e.subjectTitle ?? e.subjectId}
          </Link>
          <span className="font-mono">{e.subjectId}</span>
        </p>
        {note && (
          <blockquote className="border-l-2 border-zinc-300 pl-2 text-sm break-words text-zinc-700 italic dark:border-zinc-700 dark:text-zinc-300">
            {note}
          </blockquote>
        )}
        <p className="text-xs break-words text-zinc-600 dark:text-zinc-400">Came to a person because: {e.reason}</p>
      </div>
    </li>
  );
}

export function DecisionHistory({ kind }: { kind: InboxKind }) {
  const history = useInfiniteQuery({
    queryKey: [...escalationKeys.all, "decided", kind],
    queryFn: ({ pageParam }) => fetchDecided(kind, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  if (history.isPending) return <Skeletons count={3} row="h-16" className="space-y-2" />;
  return (
    <>
      <QueryError error={history.error} what="the decisions" className="mb-4" />
      {items.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 dark:border-zinc-700">
          <EmptyState title="Nothing decided yet">Decisions you and other admins make show up here.</EmptyState>
        </div>
      ) : (
        <ol
          aria-label="Decisions, most recent first"
          className="divide-y divide-zinc-100 rounded-xl border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900"
        >
          {items.map((e) => (
            <Entry key={e.id} e={e} />
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <div className="mt-4 flex justify-center">
          <Button variant="secondary" loading={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
            Show older decisions
          </Button>
        </div>
      )}
    </>
  );
}
