// The agent registry: agents, their fallbacks and status, and their bearer tokens.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import type { Agent, AgentToken } from "@/lib/generated/prisma/client";
import { actorUserId, type Actor } from "@/lib/auth/actor";
import { forgetTokens } from "@/lib/auth/token-cache";
import { requireAdmin, requireAgentOrAdmin } from "@/lib/auth/policy";
import { generateToken } from "@/lib/auth/tokens";
import { changedFields, recordEvent } from "@/lib/audit/record";
import { eventsForSubject } from "@/lib/audit/service";
import { redactEvents } from "@/lib/events/visibility";
import type { EventDto } from "@/lib/audit/schema";
import { Conflict, Forbidden, Invalid, NotFound } from "@/lib/errors";
import { agentQueue } from "@/lib/queue/read";
import type { TaskDto } from "@/lib/queue/schema";
import { expiryFrom } from "@/lib/users/tokens";
import { votesAwaitingBallot, type AwaitingBallot } from "@/lib/voting/service";
import {
  issueTokenInput,
  type AgentDto,
  type CreateAgentInput,
  type IssuedToken,
  type IssueTokenInput,
  type TokenDto,
  type UpdateAgentInput,
} from "./schema";
import { agentsNow } from "./status";

/** An agent as the API shows it; `a` as `agentsNow` reads it (its status as it is now). */
function toAgentDto(a: Agent): AgentDto {
  return {
    name: a.name,
    displayName: a.displayName,
    status: a.status,
    statusUntil: a.status === "rate_limited" ? (a.statusUntil?.toISOString() ?? null) : null,
    fallback: a.fallbackName,
    capabilities: a.capabilities,
    lastSeenAt: a.lastSeenAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

function toTokenDto(t: AgentToken): TokenDto {
  return {
    id: t.id,
    prefix: t.prefix,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

export async function listAgents(db: Tx): Promise<AgentDto[]> {
  return (await agentsNow(db)).map(toAgentDto);
}

async function findAgent(db: Tx, name: string): Promise<Agent> {
  const [agent] = await agentsNow(db, name);
  if (!agent) throw new NotFound(`No agent named ${name}.`);
  return agent;
}

export async function getAgent(db: Tx, name: string): Promise<AgentDto> {
  return toAgentDto(await findAgent(db, name));
}

/** Serialises fallback changes: two that close a cycle together cannot both pass the check. */
const FALLBACK_GRAPH_LOCK = 72707372;

/** Refuses a fallback that is unknown, is the agent itself, or leads back to it (under the fallback graph's lock). */
async function checkFallback(db: Tx, agent: string, fallback: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(${FALLBACK_GRAPH_LOCK})`;
  if (fallback === agent)
    throw new Invalid("An agent cannot be its own fallback.", [
      { path: "fallback", message: "An agent cannot be its own fallback." },
    ]);
  const rows = await db.agent.findMany({ select: { name: true, fallbackName: true } });
  const next = new Map(rows.map((r) => [r.name, r.fallbackName]));
  if (!next.has(fallback))
    throw new Invalid(`Unknown fallback agent ${fallback}.`, [
      { path: "fallback", message: `No agent named ${fallback}.` },
    ]);
  const seen = new Set<string>([agent]);
  for (let cur: string | null | undefined = fallback; cur; cur = next.get(cur)) {
    if (seen.has(cur)) {
      throw new Invalid(`Fallback ${fallback} would make a cycle back to ${agent}.`, [
        { path: "fallback", message: "This fallback makes a cycle." },
      ]);
    }
    seen.add(cur);
  }
}

export async function createAgent(db: Db, actor: Actor, input: CreateAgentInput): Promise<AgentDto> {
  requireAdmin(actor, "create agents");
  return db.$transaction(async (tx) => {
    if (await tx.agent.findUnique({ where: { name: input.name }, select: { name: true } })) {
      throw new Conflict(`An agent named ${input.name} already exists.`);
    }
    if (input.fallback) await checkFallback(tx, input.name, input.fallback);
    const agent = await tx.agent
      .create({
        data: {
          name: input.name,
          displayName: input.displayName ?? input.name,
          capabilities: input.capabilities ?? [],
          fallbackName: input.fallback ?? null,
          status: input.status ?? "active",
        },
      })
      .catch((error: { code?: string }) => {
        if (error.code === "P2002") throw new Conflict(`An agent named ${input.name} already exists.`);
        throw error;
      });
    await recordEvent(tx, {
      actor,
      action: "agent.created",
      subject: `agent:${agent.name}`,
      details: { status: agent.status, fallback: agent.fallbackName },
    });
    return toAgentDto(agent);
  });
}

export async function updateAgent(db: Db, actor: Actor, name: string, input: UpdateAgentInput): Promise<AgentDto> {
  if (actor.role !== "admin") {
    requireAgentOrAdmin(actor, name, "change agent");
    const other = Object.keys(input).filter((k) => k !== "status" && k !== "until");
    if (other.length) throw new Forbidden(`An agent may change only its own status, not ${other.join(", ")}.`);
  }
  return db.$transaction(async (tx) => {
    const before = await findAgent(tx, name);
    if (input.fallback) await checkFallback(tx, name, input.fallback);
    await tx.agent.update({
      where: { name },
      data: {
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.capabilities !== undefined ? { capabilities: input.capabilities } : {}),
        ...(input.fallback !== undefined ? { fallbackName: input.fallback } : {}),
        ...(input.status !== undefined
          ? {
              status: input.status,
              statusUntil: input.status === "rate_limited" && input.until ? new Date(input.until) : null,
            }
          : {}),
      },
    });
    // Both sides as they are now: a limit that had lapsed and stays lapsed is no change of status.
    const after = await findAgent(tx, name);
    const changes = changedFields(before, after, ["status", "fallbackName", "displayName", "capabilities"]);
    if (after.statusUntil && after.statusUntil.getTime() !== before.statusUntil?.getTime())
      Object.assign(changes, {
        until: { from: before.statusUntil?.toISOString() ?? null, to: after.statusUntil.toISOString() },
      });
    if (Object.keys(changes).length) {
      await recordEvent(tx, {
        actor,
        action: changes.status ? "agent.status_changed" : "agent.updated",
        subject: `agent:${name}`,
        details: changes,
      });
    }
    return toAgentDto(after);
  });
}

export async function issueToken(db: Db, actor: Actor, name: string, raw: IssueTokenInput = {}): Promise<IssuedToken> {
  requireAdmin(actor, "issue agent tokens");
  const input = issueTokenInput.parse(raw);
  return db.$transaction(async (tx) => {
    await findAgent(tx, name);
    const { token, prefix, hash } = generateToken();
    const row = await tx.agentToken.create({
      data: {
        id: randomUUID(),
        agentName: name,
        name: input.name ?? null,
        prefix,
        tokenHash: hash,
        createdById: actorUserId(actor),
        expiresAt: expiryFrom(input.expiresInDays),
      },
    });
    await recordEvent(tx, {
      actor,
      action: "agent.token_issued",
      subject: `agent:${name}`,
      details: { tokenId: row.id, prefix, ...(input.name ? { name: input.name } : {}) },
    });
    return {
      id: row.id,
      token,
      prefix,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt?.toISOString() ?? null,
    };
  });
}

export async function listTokens(db: Tx, actor: Actor, name: string): Promise<TokenDto[]> {
  requireAdmin(actor, "list agent tokens");
  await findAgent(db, name);
  const rows = await db.agentToken.findMany({ where: { agentName: name }, orderBy: { createdAt: "desc" } });
  return rows.map(toTokenDto);
}

export async function revokeToken(db: Db, actor: Actor, name: string, tokenId: string): Promise<TokenDto> {
  requireAdmin(actor, "revoke agent tokens");
  const result = await db.$transaction(async (tx) => {
    const row = await tx.agentToken.findFirst({ where: { id: tokenId, agentName: name } });
    if (!row) throw new NotFound(`Agent ${name} has no token ${tokenId}.`);
    if (row.revokedAt) return toTokenDto(row);
    const revoked = await tx.agentToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await recordEvent(tx, {
      actor,
      action: "agent.token_revoked",
      subject: `agent:${name}`,
      details: { tokenId, prefix: row.prefix },
    });
    return toTokenDto(revoked);
  });
  // This instance forgets at once; the others when they read the audit event (lib/auth/token-cache.ts).
  forgetTokens();
  return result;
}

export interface Briefing {
  agent: AgentDto;
  tasks: { inProgress: TaskDto[]; pending: TaskDto[] };
  votesAwaitingBallot: AwaitingBallot[];
  recentLog: EventDto[];
}

/** An agent's session start: records that it was seen and wakes it if it was offline. */
export async function briefing(db: Db, actor: Actor, name: string): Promise<Briefing> {
  requireAgentOrAdmin(actor, name, "read the briefing");
  const agent = await db.$transaction(async (tx) => {
    const before = await findAgent(tx, name);
    const seenByAgent = actor.kind === "agent";
    if (!seenByAgent) return before;
    const wake = before.status === "offline";
    await tx.agent.update({
      where: { name },
      data: { lastSeenAt: new Date(), ...(wake ? { status: "active" } : {}) },
    });
    if (wake)
      await recordEvent(tx, {
        actor,
        action: "agent.status_changed",
        subject: `agent:${name}`,
        details: { status: { from: "offline", to: "active" }, reason: "briefing" },
      });
    return findAgent(tx, name);
  });
  return {
    agent: toAgentDto(agent),
    tasks: await agentQueue(db, name),
    votesAwaitingBallot: await votesAwaitingBallot(db, name),
    recentLog: redactEvents(actor, await eventsForSubject(db, `agent:${name}`, 20)),
  };
}
