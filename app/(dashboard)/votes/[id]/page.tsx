// One vote, live.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { VoteDetail } from "@/components/votes/vote-detail";
import { PageHeader } from "@/components/ui/page-header";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { orMissing } from "@/lib/errors";
import { getVote } from "@/lib/voting/service";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  const vote = await getVote(getPrisma(), id).catch(() => null);
  return { title: vote ? `${vote.question} · Votes` : "Vote" };
}

export default async function VotePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const [actor, vote] = await Promise.all([currentActor(), orMissing(getVote(getPrisma(), id), notFound)]);
  return (
    <>
      <PageHeader title="Vote" description={vote.id} />
      <VoteDetail
        initial={vote}
        canResolve={actor?.role === "admin" || actor?.label === vote.createdBy}
        canReopen={actor?.role === "admin"}
      />
    </>
  );
}
