// What the orchestrator needs to decide an escalation without leaving its card: the vote with its scores
// and ballots, or the task with every attempt, the router's top three agents, and the suggested decision.
import { z } from "zod";
import type { Tx } from "@/lib/db/client";
import { eventsForSubject } from "@/lib/audit/service";
import type { EventDto } from "@/lib/audit/schema";
import { findTask, taskDto } from "@/lib/queue/dto";
import { taskDto as taskSchema } from "@/lib/queue/schema";
import { routeTask } from "@/lib/routing/route-task";
import type { RouteResult } from "@/lib/routing/schema";
import { MIN_CONFIDENCE } from "@/lib/routing/score";
import { getVote } from "@/lib/voting/service";
import { voteDto, type VoteDto } from "@/lib/voting/schema";
import { actionsFor, DECISION_ACTIONS } from "./actions";
import { escalationDto, type EscalationDto } from "./schema";

export const attemptDto = z
  .object({
    number: z.number().int(),
    agent: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    ending: z.enum(["completed", "failed", "retry", "released", "lease_expired", "cancelled"]).nullable(),
    summary: z.string().nullable(),
  })
  .meta({ id: "Attempt" });
export type Attempt = z.infer<typeof attemptDto>;

export const routerCandidateDto = z
  .object({
    agent: z.string(),
    final: z.number(),
    ruleScore: z.number(),
    mlScore: z.number(),
    status: z.string(),
    reason: z.string(),
  })
  .meta({ id: "RouterCandidate" });
export type RouterCandidate = z.infer<typeof routerCandidateDto>;

export const suggestionDto = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("option"), option: z.string(), why: z.string() }),
    z.object({ kind: z.literal("assignee"), agent: z.string(), why: z.string() }),
    z.object({ kind: z.literal("retry"), why: z.string() }),
  ])
  .meta({ id: "Suggestion" });
export type Suggestion = z.infer<typeof suggestionDto>;

export const escalationContextDto = z
  .object({
    vote: voteDto.optional(),
    task: taskSchema.optional(),
    attempts: z.array(attemptDto).optional().describe("Every claim of the task, oldest first."),
    candidates: z.array(routerCandidateDto).optional(),
    suggestion: suggestionDto.nullable(),
    actions: z
      .array(z.enum(DECISION_ACTIONS))
      .describe("The decisions that apply to the subject as it is now; the inbox offers only these."),
  })
  .meta({ id: "EscalationContext" });
export type EscalationContext = Omit<z.infer<typeof escalationContextDto>, "vote"> & { vote?: VoteDto };

export const escalationWithContextDto = escalationDto
  .extend({ context: escalationContextDto })
  .meta({ id: "EscalationWithContext" });
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

/** A candidate scoring less than this is no real match for the task. */
const MIN_ALTERNATIVE = 0.1;

/**
 * The decision to preselect. Routing: the router's best guess. A failed task: the router's pick, unless that
 * agent just failed it — then the next active candidate that is a real match — else a retry.
 */
function suggest(kind: EscalationDto["kind"], routed: RouteResult, lastAgent: string | null): Suggestion | null {
  if (kind === "routing") {
    const best = routed.candidates.find((c) => c.status === "active");
    return best
      ? {
          kind: "assignee",
          agent: best.agent,
          why: `the router's best guess, ${best.final.toFixed(2)} (it assigns by itself from ${MIN_CONFIDENCE.toFixed(2)})`,
        }
      : null;
  }
  const pick = routed.candidates.find(
    (c) => c.status === "active" && c.agent !== lastAgent && c.final >= MIN_ALTERNATIVE,
  );
  if (pick) {
    const after = lastAgent && routed.agent === lastAgent;
    return {
      kind: "assignee",
      agent: pick.agent,
      why: after
        ? `the best match after ${lastAgent}, which failed the last attempt`
        : `the router's best match (${pick.final.toFixed(2)})`,
    };
  }
  return { kind: "retry", why: `no other agent is a match${lastAgent ? `; ${lastAgent} tries again` : ""}` };
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
  const suggestion = suggest(escalation.kind, routed, attempts.at(-1)?.agent ?? null);
  return { task, attempts, candidates, suggestion, actions: actionsFor(escalation.kind, task.state) };
}

/** The leading option, unless the top two are tied: then there is nothing to suggest. */
function voteSuggestion(vote: VoteDto): Suggestion | null {
  const ranked = Object.entries(vote.scores).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] <= 0) return null;
  if (second && Math.abs(first[1] - second[1]) < 1e-9) return null;
  const lead = second ? ` by ${(first[1] - second[1]).toFixed(2)}` : "";
  return { kind: "option", option: first[0], why: `the option ahead in the vote${lead}` };
}

async function voteContext(db: Tx, escalation: EscalationDto): Promise<EscalationContext> {
  const vote = await getVote(db, escalation.subjectId);
  return { vote, suggestion: voteSuggestion(vote), actions: actionsFor("vote", vote.status) };
}

export async function escalationContext(db: Tx, escalation: EscalationDto): Promise<EscalationContext> {
  return escalation.kind === "vote" ? voteContext(db, escalation) : taskContext(db, escalation);
}

export async function withContext(db: Tx, items: EscalationDto[]): Promise<EscalationWithContext[]> {
  return Promise.all(items.map(async (e) => ({ ...e, context: await escalationContext(db, e) })));
}
