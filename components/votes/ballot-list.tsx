// Who voted what, how sure, and why.
import type { BallotDto } from "@/lib/voting/schema";

export function BallotList({ ballots, waitingFor }: { ballots: BallotDto[]; waitingFor?: string[] }) {
  return (
    <ul className="space-y-1.5 text-sm" aria-label="Ballots">
      {ballots.map((b) => (
        <li key={b.voter} className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-medium text-zinc-900 dark:text-zinc-100">{b.voter}</span>
          <span className="text-zinc-600 dark:text-zinc-300">→ {b.option}</span>
          <span className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
            confidence {b.confidence.toFixed(2)}
          </span>
          {b.rationale && <q className="basis-full text-xs text-zinc-600 italic dark:text-zinc-400">{b.rationale}</q>}
        </li>
      ))}
      {!!waitingFor?.length && (
        <li className="text-xs text-zinc-600 dark:text-zinc-400">Waiting for {waitingFor.join(", ")}.</li>
      )}
      {!ballots.length && !waitingFor?.length && (
        <li className="text-xs text-zinc-600 dark:text-zinc-400">No ballots.</li>
      )}
    </ul>
  );
}
