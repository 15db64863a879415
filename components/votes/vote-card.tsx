"use client";
// One vote: the question, live score bars with the threshold line, every ballot, time left, the outcome.
import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { useNow } from "@/components/ui/use-now";
import { describeOutcome } from "@/lib/voting/describe";
import type { VoteDto } from "@/lib/voting/schema";
import { BallotList } from "./ballot-list";
import { ScoreChart } from "./score-chart";

const STATUS_TONE: Record<VoteDto["status"], Tone> = { open: "blue", decided: "green", escalated: "amber" };

export function TimeLeft({ closesAt }: { closesAt: string | null }) {
  const now = useNow(1000);
  if (!closesAt) return <span>no closing time</span>;
  if (now === null) return <RelativeTime iso={closesAt} />;
  const left = Math.round((new Date(closesAt).getTime() - now) / 1000);
  if (left <= 0) return <span>closing…</span>;
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  return (
    <span className="tabular-nums">{h ? `${h} h ${m} min left` : m ? `${m} min ${s} s left` : `${s} s left`}</span>
  );
}

export function VoteCard({ vote, link = true }: { vote: VoteDto; link?: boolean }) {
  const waiting = vote.voters.filter((v) => !vote.ballots.some((b) => b.voter === v));
  // The winner, the option ahead of an escalated vote, or the one leading an open vote.
  const leading =
    Object.entries(vote.scores)
      .sort((a, b) => b[1] - a[1])
      .find(([, s]) => s > 0)?.[0] ?? null;
  const highlight = vote.result?.winner ?? vote.result?.leading ?? (vote.status === "open" ? leading : null);
  return (
    <Card className="p-4 sm:p-5" data-vote={vote.id}>
      <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        <Badge tone={STATUS_TONE[vote.status]} dot>
          {vote.status}
        </Badge>
        {link ? (
          <Link href={`/votes/${vote.id}`} className="font-mono text-indigo-700 hover:underline dark:text-indigo-300">
            {vote.id}
          </Link>
        ) : (
          <span className="font-mono">{vote.id}</span>
        )}
        <span>by {vote.createdBy}</span>
        <span>· {vote.method === "weighted_confidence" ? "weighted by confidence" : "simple majority"}</span>
        <span>· threshold {vote.threshold.toFixed(2)}</span>
        {vote.quorum && <span>· quorum {vote.quorum}</span>}
        {vote.status === "open" && (
          <span className="font-medium text-zinc-800 dark:text-zinc-200">
            · <TimeLeft closesAt={vote.closesAt} />
          </span>
        )}
      </div>
      <h3 className="mt-2 text-base font-semibold text-zinc-900 dark:text-zinc-100">{vote.question}</h3>
      {vote.status !== "open" && (
        <p className="mt-1 text-sm text-zinc-700 dark:text-zinc-300" data-testid="vote-outcome">
          {describeOutcome(vote)}
        </p>
      )}
      <div className="mt-3 grid gap-4 md:grid-cols-2">
        <ScoreChart vote={vote} highlight={highlight} />
        <BallotList ballots={vote.ballots} waitingFor={vote.status === "open" ? waiting : undefined} />
      </div>
    </Card>
  );
}
