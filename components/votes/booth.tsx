"use client";
// The voting booth: open votes with live scores, then what was decided or escalated. Members open votes here.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Alert, EmptyState, QueryError, Skeleton } from "@/components/ui/feedback";
import { OfflineError } from "@/lib/client/api";
import type { VoteDto } from "@/lib/voting/schema";
import { CreateVoteForm } from "./create-vote-form";
import { fetchVotes, voteKeys } from "./queries";
import { VoteCard } from "./vote-card";

function VoteList({ status, empty }: { status: "open" | "closed"; empty: React.ReactNode }) {
  const open = useQuery({
    queryKey: voteKeys.list("open"),
    queryFn: () => fetchVotes("open"),
    enabled: status === "open",
  });
  const decided = useQuery({
    queryKey: voteKeys.list("decided"),
    queryFn: () => fetchVotes("decided", 20),
    enabled: status === "closed",
  });
  const escalated = useQuery({
    queryKey: voteKeys.list("escalated"),
    queryFn: () => fetchVotes("escalated", 20),
    enabled: status === "closed",
  });
  const queries = status === "open" ? [open] : [escalated, decided];
  if (queries.some((q) => q.isPending)) return <Skeleton className="h-48" />;
  const failed = queries.find((q) => q.isError);
  if (failed && !(failed.error instanceof OfflineError)) return <QueryError error={failed.error} what="votes" />;
  const votes: VoteDto[] = queries
    .flatMap((q) => q.data?.items ?? [])
    .sort((a, b) => (b.resolvedAt ?? b.createdAt).localeCompare(a.resolvedAt ?? a.createdAt));
  if (!votes.length)
    return <div className="rounded-xl border border-dashed border-zinc-300 dark:border-zinc-700">{empty}</div>;
  return (
    <div className="space-y-3">
      {votes.map((v) => (
        <VoteCard key={v.id} vote={v} />
      ))}
    </div>
  );
}

export function VotingBooth({ agents, canOpen }: { agents: { name: string; status: string }[]; canOpen: boolean }) {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<VoteDto | null>(null);
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-800 dark:text-zinc-200">Open votes</h2>
        {canOpen && <Button onClick={() => setCreating(true)}>Open a vote</Button>}
      </div>
      {created && (
        <Alert tone="success" className="mb-4">
          Vote{" "}
          <Link className="font-mono underline" href={`/votes/${created.id}`}>
            {created.id}
          </Link>{" "}
          is open for {created.voters.join(", ")}.
        </Alert>
      )}
      <VoteList
        status="open"
        empty={
          <EmptyState title="No open votes">
            When agents disagree, any of them (or you) opens a vote; each voter answers with a confidence, and ties or
            doubts come to the inbox.
          </EmptyState>
        }
      />
      <h2 className="mt-8 mb-4 text-sm font-semibold text-zinc-800 dark:text-zinc-200">Decided and escalated</h2>
      <VoteList status="closed" empty={<EmptyState title="Nothing decided yet" />} />
      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        title="Open a vote"
        description="Agents see it in their briefing with the time left."
      >
        <CreateVoteForm
          agents={agents}
          onCreated={(v) => {
            setCreating(false);
            setCreated(v);
            void queryClient.invalidateQueries({ queryKey: voteKeys.all });
          }}
        />
      </Dialog>
    </>
  );
}
