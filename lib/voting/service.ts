// The voting booth: open a vote, cast (or replace) a ballot, resolve by hand, by the last ballot or at the
// close, reopen. Every state change locks the vote row, so concurrent ballots, sweeps on several
// instances and a person's decision each see the vote once, in turn.
import { agentsNow } from "@/lib/agents/status";
import type { Db, Tx } from "@/lib/db/client";
import { Prisma, type Ballot, type Vote } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin, requireWriter } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import { openEscalation, resolveEscalationsFor } from "@/lib/escalations/service";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { decodeCursor, timeIdCursor, toPage, type Page } from "@/lib/http/list";
import { nextId } from "@/lib/ids";
import { escalationReason, resolveVote, scoreBallots } from "./resolve";
import {
  createVoteInput,
  type BallotInput,
  type CreateVoteInput,
  type ListVotesQuery,
  type VoteDto,
  type VoteResultDto,
} from "./schema";

type VoteRow = Vote & { ballots: Ballot[] };

export function toVoteDto(v: VoteRow): VoteDto {
  const ballots = [...v.ballots].sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    id: v.id,
    question: v.question,
    options: v.options,
    voters: v.voters,
    method: v.method,
    threshold: v.threshold,
    quorum: v.quorum,
    requireRationale: v.requireRationale,
    status: v.status,
    closesAt: v.closesAt?.toISOString() ?? null,
    ballots: ballots.map((b) => ({
      voter: b.voter,
      option: b.option,
      confidence: b.confidence,
      rationale: b.rationale,
      at: b.at.toISOString(),
    })),
    scores: scoreBallots(v.options, ballots, v.method),
    result: (v.result as VoteResultDto | null) ?? null,
    decidedBy: v.decidedBy,
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    resolvedAt: v.resolvedAt?.toISOString() ?? null,
  };
}

async function findVote(db: Tx, id: string): Promise<VoteRow> {
  const vote = await db.vote.findUnique({ where: { id }, include: { ballots: true } });
  if (!vote) throw new NotFound(`No vote ${id}.`);
  return vote;
}

/** Locks the vote row for the rest of the transaction. */
export async function lockVote(tx: Tx, id: string): Promise<VoteRow> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM votes WHERE id = ${id} FOR UPDATE`;
  if (!locked.length) throw new NotFound(`No vote ${id}.`);
  return findVote(tx, id);
}

export type SettleTrigger = "all_voted" | "closed" | "by_hand";

/** Resolves a locked, open vote: its result, the audit event, and an escalation when it needs a person. */
async function settle(tx: Tx, actor: Actor | string, vote: VoteRow, trigger: SettleTrigger): Promise<VoteDto> {
  const result = resolveVote(
    { options: vote.options, method: vote.method, threshold: vote.threshold, quorum: vote.quorum },
    vote.ballots,
  );
  const updated = await tx.vote.update({
    where: { id: vote.id },
    data: { status: result.status, result: result as unknown as Prisma.InputJsonObject, resolvedAt: new Date() },
    include: { ballots: true },
  });
  await recordEvent(tx, {
    actor,
    action: result.status === "decided" ? "vote.decided" : "vote.escalated",
    subject: `vote:${vote.id}`,
    details: {
      reason: result.reason,
      ...(result.winner ? { winner: result.winner } : {}),
      ...(result.leading ? { leading: result.leading } : {}),
      scores: result.scores,
      trigger,
    },
  });
  if (result.status === "escalated") {
    await openEscalation(tx, actor, {
      kind: "vote",
      subjectId: vote.id,
      reason: escalationReason(vote, result, vote.ballots.length),
    });
  }
  return toVoteDto(updated);
}

export async function createVote(db: Db, actor: Actor, raw: CreateVoteInput): Promise<VoteDto> {
  requireWriter(actor, "open votes");
  const input = createVoteInput.parse(raw);
  return db.$transaction(async (tx) => {
    const agents = await agentsNow(tx);
    const known = new Set(agents.map((a) => a.name));
    const voters = input.voters ?? agents.filter((a) => a.status === "active").map((a) => a.name);
    const unknown = voters.filter((v) => !known.has(v));
    if (unknown.length)
      throw new Invalid(
        `Unknown voter ${unknown.join(", ")}.`,
        unknown.map((v) => ({ path: "voters", message: `No agent named ${v}.` })),
      );
    if (!voters.length)
      throw new Invalid("No agent is active to vote; name the voters.", [
        { path: "voters", message: "Name at least one voter." },
      ]);
    if (input.quorum && input.quorum > voters.length) {
      throw new Invalid(`A quorum of ${input.quorum} cannot be met by ${voters.length} voter(s).`, [
        { path: "quorum", message: "More than the voters." },
      ]);
    }
    const vote = await tx.vote.create({
      data: {
        id: await nextId(tx, "vote"),
        question: input.question,
        options: input.options,
        voters,
        method: input.method,
        threshold: input.threshold,
        quorum: input.quorum ?? null,
        requireRationale: input.requireRationale,
        closesAt: input.closesAt ? new Date(input.closesAt) : null,
        createdBy: actor.label,
      },
      include: { ballots: true },
    });
    await recordEvent(tx, {
      actor,
      action: "vote.created",
      subject: `vote:${vote.id}`,
      details: {
        question: vote.question,
        options: vote.options,
        voters,
        method: vote.method,
        ...(vote.closesAt ? { closesAt: vote.closesAt.toISOString() } : {}),
      },
    });
    return toVoteDto(vote);
  });
}

export async function castBallot(db: Db, actor: Actor, id: string, input: BallotInput): Promise<VoteDto> {
  const closedLate = await db.$transaction(async (tx) => {
    const vote = await lockVote(tx, id);
    if (vote.status !== "open") throw new Conflict(`Vote ${id} is ${vote.status}; ballots are closed.`);
    if (vote.closesAt && vote.closesAt <= new Date()) return settle(tx, "system", vote, "closed");
    if (actor.kind !== "agent" || !vote.voters.includes(actor.agent)) {
      throw new Forbidden(`${actor.label} is not among the voters of ${id} (${vote.voters.join(", ")}).`);
    }
    if (!vote.options.includes(input.option)) {
      throw new Invalid(`"${input.option}" is not an option of ${id}.`, [
        { path: "option", message: `Choose one of: ${vote.options.join(", ")}.` },
      ]);
    }
    if (vote.requireRationale && !input.rationale) {
      throw new Invalid("This vote asks every voter for a rationale.", [
        { path: "rationale", message: "Say why you chose this option." },
      ]);
    }
    const replaced = vote.ballots.some((b) => b.voter === actor.agent);
    await tx.ballot.upsert({
      where: { voteId_voter: { voteId: id, voter: actor.agent } },
      create: {
        voteId: id,
        voter: actor.agent,
        option: input.option,
        confidence: input.confidence,
        rationale: input.rationale ?? null,
      },
      update: {
        option: input.option,
        confidence: input.confidence,
        rationale: input.rationale ?? null,
        at: new Date(),
      },
    });
    await recordEvent(tx, {
      actor,
      action: "vote.ballot_cast",
      subject: `vote:${id}`,
      details: {
        voter: actor.agent,
        option: input.option,
        confidence: input.confidence,
        ...(replaced ? { replaced: true } : {}),
      },
    });
    const current = await findVote(tx, id);
    if (current.voters.every((v) => current.ballots.some((b) => b.voter === v)))
      await settle(tx, actor, current, "all_voted");
    return null;
  });
  if (closedLate) throw new Conflict(`Vote ${id} closed at ${closedLate.closesAt}; ballots are closed.`);
  return getVote(db, id);
}

/** The creator or an admin closes the vote now, with the ballots cast so far. */
export async function resolveVoteByHand(db: Db, actor: Actor, id: string): Promise<VoteDto> {
  return db.$transaction(async (tx) => {
    const vote = await lockVote(tx, id);
    if (actor.role !== "admin" && vote.createdBy !== actor.label)
      throw new Forbidden(`Only an admin or ${vote.createdBy}, who opened it, may resolve ${id}.`);
    if (vote.status !== "open") throw new Conflict(`Vote ${id} is already ${vote.status}.`);
    return settle(tx, actor, vote, "by_hand");
  });
}

/** An admin opens a resolved vote again: ballots kept, result cleared, any open escalation closed. */
export async function reopenVote(
  db: Db,
  actor: Actor,
  id: string,
  input: { closesAt?: string; note?: string },
): Promise<VoteDto> {
  requireAdmin(actor, "reopen votes");
  return db.$transaction(async (tx) => {
    const vote = await lockVote(tx, id);
    if (vote.status === "open") throw new Conflict(`Vote ${id} is already open.`);
    const closesAt = input.closesAt ? new Date(input.closesAt) : vote.closesAt;
    if (closesAt && closesAt <= new Date()) {
      throw new Invalid("The vote's closing time has passed; give a new one.", [
        { path: "closesAt", message: "Give a closing time in the future." },
      ]);
    }
    const updated = await tx.vote.update({
      where: { id },
      data: { status: "open", result: Prisma.DbNull, decidedBy: null, resolvedAt: null, closesAt },
      include: { ballots: true },
    });
    await resolveEscalationsFor(tx, actor, id, { action: "reopen", ...(input.note ? { note: input.note } : {}) });
    await recordEvent(tx, {
      actor,
      action: "vote.reopened",
      subject: `vote:${id}`,
      details: {
        from: vote.status,
        ballotsKept: vote.ballots.length,
        ...(input.note ? { note: input.note } : {}),
        ...(closesAt ? { closesAt: closesAt.toISOString() } : {}),
      },
    });
    return toVoteDto(updated);
  });
}

/** A person decides an escalated vote (inside the decision's transaction, the vote already locked). */
export async function decideVoteIn(
  tx: Tx,
  actor: Actor,
  vote: VoteRow,
  option: string | undefined,
  note?: string,
): Promise<void> {
  if (!option)
    throw new Invalid("Deciding a vote escalation needs an `option`.", [
      { path: "option", message: `Choose one of: ${vote.options.join(", ")}.` },
    ]);
  if (!vote.options.includes(option))
    throw new Invalid(`"${option}" is not an option of ${vote.id}.`, [
      { path: "option", message: `Choose one of: ${vote.options.join(", ")}.` },
    ]);
  if (vote.status !== "escalated") throw new Conflict(`Vote ${vote.id} is ${vote.status}, not waiting for a person.`);
  const before =
    (vote.result as VoteResultDto | null) ??
    resolveVote(
      { options: vote.options, method: vote.method, threshold: vote.threshold, quorum: vote.quorum },
      vote.ballots,
    );
  const decidedAt = new Date();
  const result: VoteResultDto = {
    status: "decided",
    winner: option,
    scores: before.scores,
    decisionConfidence: before.decisionConfidence,
    reason: before.reason,
    decidedBy: actor.label,
    decidedAt: decidedAt.toISOString(),
    ...(note ? { note } : {}),
  };
  await tx.vote.update({
    where: { id: vote.id },
    data: {
      status: "decided",
      result: result as unknown as Prisma.InputJsonObject,
      decidedBy: actor.label,
      resolvedAt: decidedAt,
    },
  });
  await recordEvent(tx, {
    actor,
    action: "vote.decided",
    subject: `vote:${vote.id}`,
    details: { winner: option, by: actor.label, escalatedBecause: before.reason, ...(note ? { note } : {}) },
  });
  await resolveEscalationsFor(tx, actor, vote.id, { action: "decide", option, ...(note ? { note } : {}) });
}

/** The sweep: resolves every open vote whose closing time has passed, in small locked batches. */
export async function closeDueVotes(db: Db, batchSize = 25): Promise<number> {
  let closed = 0;
  for (;;) {
    const n = await db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM votes WHERE status = 'open' AND closes_at <= now() ORDER BY closes_at LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`;
      for (const { id } of due) await settle(tx, "system", await findVote(tx, id), "closed");
      return due.length;
    });
    closed += n;
    if (n < batchSize) return closed;
  }
}

export async function getVote(db: Tx, id: string): Promise<VoteDto> {
  return toVoteDto(await findVote(db, id));
}

export async function listVotes(db: Tx, query: ListVotesQuery): Promise<Page<VoteDto>> {
  const after = decodeCursor(query.cursor, timeIdCursor);
  const rows = await db.vote.findMany({
    where: {
      ...(query.status ? { status: query.status } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: new Date(after.at) } }, { createdAt: new Date(after.at), id: { lt: after.id } }] }
        : {}),
    },
    include: { ballots: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toVoteDto, (r) => ({ at: r.createdAt.toISOString(), id: r.id }));
}

export interface AwaitingBallot extends VoteDto {
  timeLeftSeconds: number | null;
}

/** Open votes an agent is asked to vote on and has not yet: for its briefing, with the time left. */
export async function votesAwaitingBallot(db: Tx, agent: string): Promise<AwaitingBallot[]> {
  const rows = await db.vote.findMany({
    where: { status: "open", voters: { has: agent }, ballots: { none: { voter: agent } } },
    include: { ballots: true },
    orderBy: [{ closesAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    take: 50,
  });
  const now = Date.now();
  return rows.map((v) => ({
    ...toVoteDto(v),
    timeLeftSeconds: v.closesAt ? Math.max(0, Math.round((v.closesAt.getTime() - now) / 1000)) : null,
  }));
}
