// What the orchestrator needs to decide an escalation without leaving its card: the vote with its scores
// and ballots, or the task with every attempt, the router's top three agents, and the suggested decision.
import type { Tx } from "@/lib/db/client";
import { eventsForSubject } from "@/lib/audit/service";
import type { EventDto } from "@/lib/audit/schema";
import { findTask, taskDto } from "@/lib/queue/dto";
import type { TaskDto } from "@/lib/queue/schema";
import { routeTask } from "@/lib/routing/route-task";
import { getVote } from "@/lib/voting/service";
import type { VoteDto } from "@/lib/voting/schema";
import type { EscalationDto } from "./schema";

export interface Attempt {
  number: number;
  agent: string;
  startedAt: string;
  endedAt: string | null;
  /** completed, failed, retry (failed, asked for another try), released, lease_expired, or null while running */
  ending: "completed" | "failed" | "retry" | "released" | "lease_expired" | "cancelled" | null;
  summary: string | null;
}

export interface RouterCandidate {
  agent: string;
  final: number;
  ruleScore: number;
  mlScore: number;
  status: string;
  reason: string;
}

export type Suggestion =
  | { kind: "option"; option: string; why: string }
  | { kind: "assignee"; agent: string; why: string }
  | { kind: "retry"; why: string };

export interface EscalationContext {
  vote?: VoteDto;
  task?: TaskDto;
  /** Every claim of the task, oldest first. */
  attempts?: Attempt[];
  candidates?: RouterCandidate[];
  suggestion: Suggestion | null;
}

export type EscalationWithContext = EscalationDto & { context: EscalationContext };

const ENDINGS: Record<string, Attempt["ending"]> = {
  "task.completed": "completed",
  "task.failed": "failed",
  "task.retry_scheduled": "retry",
  "task.released": "released",
  "task.lease_expired": "lease_expired",
  "task.cancelled": "cancelled",
};

/** Each claim of a task, from its history: who, when, how it ended and what they said. */
export function attemptsFrom(events: EventDto[]): Attempt[] {
  const attempts: Attempt[] = [];
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    const open = attempts.at(-1);
    if (e.action === "task.claimed") {
      attempts.push({
        number: attempts.length + 1,
        agent: String(e.details.agent ?? e.actor),
        startedAt: e.at,
        endedAt: null,
        ending: null,
        summary: null,
      });
    } else if (ENDINGS[e.action] && open && open.ending === null) {
      open.ending = ENDINGS[e.action]!;
      open.endedAt = e.at;
      const said = e.details.summary ?? e.details.reason;
      open.summary = typeof said === "string" ? said : null;
    }
  }
  return attempts;
}

function describeCandidate(c: { matchedRule: string | null; terms: { term: string }[] }): string {
  const parts = [
    c.matchedRule ? `rule ${c.matchedRule.replace(":", " “")}”` : "no rule matches",
    ...(c.terms.length
      ? [
          `learnt from “${c.terms
            .slice(0, 2)
            .map((t) => t.term)
            .join("”, “")}”`,
        ]
      : []),
  ];
  return parts.join("; ");
}

async function taskContext(db: Tx, escalation: EscalationDto): Promise<EscalationContext> {
  const row = await findTask(db, escalation.subjectId);
  const [task, events, routed] = await Promise.all([
    taskDto(db, row),
    eventsForSubject(db, `task:${row.id}`, 200),
    routeTask(db, { task: `${row.title}\n${row.description}`, type: row.type }),
  ]);
  const attempts = attemptsFrom(events);
  const candidates = routed.candidates.slice(0, 3).map((c) => ({
    agent: c.agent,
    final: c.final,
    ruleScore: c.ruleScore,
    mlScore: c.mlScore,
    status: c.status,
    reason: describeCandidate(c),
  }));
  const lastAgent = attempts.at(-1)?.agent ?? null;
  // The router's pick, unless that agent just failed this very task: then the next active candidate.
  const pick = routed.candidates.find((c) => c.status === "active" && c.agent !== lastAgent && c.final > 0) ?? null;
  const suggestion: Suggestion | null =
    escalation.kind === "routing" && routed.agent
      ? {
          kind: "assignee",
          agent: routed.agent,
          why: `the router's best match (confidence ${routed.confidence.toFixed(2)})`,
        }
      : pick
        ? {
            kind: "assignee",
            agent: pick.agent,
            why:
              lastAgent && routed.agent === lastAgent
                ? `the best match after ${lastAgent}, which failed the last attempt`
                : `the router's best match (score ${pick.final.toFixed(2)})`,
          }
        : escalation.kind === "task"
          ? { kind: "retry", why: "no other agent is a match" }
          : null;
  return { task, attempts, candidates, suggestion };
}

async function voteContext(db: Tx, escalation: EscalationDto): Promise<EscalationContext> {
  const vote = await getVote(db, escalation.subjectId);
  const leading = vote.result?.leading ?? Object.entries(vote.scores).sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    vote,
    suggestion: leading ? { kind: "option", option: leading, why: "the option ahead in the vote" } : null,
  };
}

export async function escalationContext(db: Tx, escalation: EscalationDto): Promise<EscalationContext> {
  return escalation.kind === "vote" ? voteContext(db, escalation) : taskContext(db, escalation);
}

export async function withContext(db: Tx, items: EscalationDto[]): Promise<EscalationWithContext[]> {
  return Promise.all(items.map(async (e) => ({ ...e, context: await escalationContext(db, e) })));
}
