"use client";
// A vote's own page: the card kept live, and the creator's or an admin's close and reopen.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { ApiError } from "@/lib/client/api";
import type { VoteDto } from "@/lib/voting/schema";
import { fetchVote, reopenVote, resolveVote, voteKeys } from "./queries";
import { VoteCard } from "./vote-card";

export function VoteDetail({
  initial,
  canResolve,
  canReopen,
}: {
  initial: VoteDto;
  canResolve: boolean;
  canReopen: boolean;
}) {
  const queryClient = useQueryClient();
  const vote = useQuery({
    queryKey: voteKeys.one(initial.id),
    queryFn: () => fetchVote(initial.id),
    initialData: initial,
  });
  const done = () => queryClient.invalidateQueries({ queryKey: voteKeys.all });
  const resolve = useMutation({ mutationFn: () => resolveVote(initial.id), onSuccess: done });
  const reopen = useMutation({
    mutationFn: () => reopenVote(initial.id, { closesAt: new Date(Date.now() + 3600_000).toISOString() }),
    onSuccess: done,
  });
  const v = vote.data;
  const error = resolve.error ?? reopen.error;
  return (
    <div className="space-y-4">
      {error && <Alert tone="error">{error instanceof ApiError ? error.message : String(error)}</Alert>}
      <VoteCard vote={v} link={false} />
      <div className="flex flex-wrap gap-2">
        {v.status === "open" && canResolve && (
          <Button variant="secondary" loading={resolve.isPending} onClick={() => resolve.mutate()}>
            Close now with these ballots
          </Button>
        )}
        {v.status !== "open" && canReopen && (
          <Button variant="secondary" loading={reopen.isPending} onClick={() => reopen.mutate()}>
            Reopen for an hour
          </Button>
        )}
        {v.status === "escalated" && (
          <Link
            href="/escalations"
            className="inline-flex h-9 items-center rounded-md px-3 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Decide it in the inbox →
          </Link>
        )}
      </div>
    </div>
  );
}
