// Escalations: what the agents could not settle, waiting for the human orchestrator.
import type { Tx } from "@/lib/db/client";
import type { Escalation } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/actor";
import { recordEvent } from "@/lib/audit/record";
import { NotFound } from "@/lib/errors";
import { decodeCursor, timeIdCursor, toPage, type Page } from "@/lib/http/list";
import { nextId } from "@/lib/ids";
import type { EscalationDto, ListEscalationsQuery } from "./schema";

export function toEscalationDto(e: Escalation): EscalationDto {
  return {
    id: e.id,
    kind: e.kind,
    subjectId: e.subjectId,
    reason: e.reason,
    state: e.state,
    resolution: (e.resolution as Record<string, unknown> | null) ?? null,
    resolvedBy: e.resolvedBy,
    createdAt: e.createdAt.toISOString(),
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
  };
}

/** Opens an escalation unless one is already open for the same subject; returns the open one. */
export async function openEscalation(
  tx: Tx,
  actor: Actor | string,
  input: { kind: Escalation["kind"]; subjectId: string; reason: string },
): Promise<EscalationDto> {
  const existing = await tx.escalation.findFirst({
    where: { kind: input.kind, subjectId: input.subjectId, state: "open" },
  });
  if (existing) return toEscalationDto(existing);
  const row = await tx.escalation.create({ data: { id: await nextId(tx, "esc"), ...input } });
  await recordEvent(tx, {
    actor,
    action: "escalation.opened",
    subject: `escalation:${row.id}`,
    details: { kind: row.kind, subjectId: row.subjectId, reason: row.reason },
  });
  return toEscalationDto(row);
}

/** Resolves the open escalations about a subject (for example when an admin retries a failed task). */
export async function resolveEscalationsFor(
  tx: Tx,
  actor: Actor,
  subjectId: string,
  resolution: Record<string, string>,
): Promise<string[]> {
  const open = await tx.escalation.findMany({ where: { subjectId, state: "open" } });
  for (const e of open) {
    await tx.escalation.update({
      where: { id: e.id },
      data: { state: "resolved", resolution, resolvedBy: actor.label, resolvedAt: new Date() },
    });
    await recordEvent(tx, {
      actor,
      action: "escalation.resolved",
      subject: `escalation:${e.id}`,
      details: { subjectId, ...resolution },
    });
  }
  return open.map((e) => e.id);
}

/** Newest first: open ones by when they opened, decided ones (`state=resolved`) by when they were decided. */
export async function listEscalations(db: Tx, query: ListEscalationsQuery): Promise<Page<EscalationDto>> {
  const after = decodeCursor(query.cursor, timeIdCursor);
  const byDecision = query.state === "resolved";
  const at = byDecision ? "resolvedAt" : "createdAt";
  const rows = await db.escalation.findMany({
    where: {
      ...(query.state ? { state: query.state } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(after
        ? { OR: [{ [at]: { lt: new Date(after.at) } }, { [at]: new Date(after.at), id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ [at]: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = toPage(rows, query.limit, toEscalationDto, (r) => ({
    at: ((byDecision ? r.resolvedAt : null) ?? r.createdAt).toISOString(),
    id: r.id,
  }));
  return { ...page, items: await withSubjectTitles(db, page.items) };
}

/** Each escalation with what it is about in words: the task's title or the vote's question (two queries). */
async function withSubjectTitles(db: Tx, items: EscalationDto[]): Promise<EscalationDto[]> {
  const ids = items.map((e) => e.subjectId);
  if (!ids.length) return items;
  const [tasks, votes] = await Promise.all([
    db.task.findMany({ where: { id: { in: ids } }, select: { id: true, title: true } }),
    db.vote.findMany({ where: { id: { in: ids } }, select: { id: true, question: true } }),
  ]);
  const titles = new Map<string, string>([
    ...tasks.map((t) => [t.id, t.title] as const),
    ...votes.map((v) => [v.id, v.question] as const),
  ]);
  return items.map((e) => (titles.has(e.subjectId) ? { ...e, subjectTitle: titles.get(e.subjectId)! } : e));
}

export async function getEscalation(db: Tx, id: string): Promise<EscalationDto> {
  const row = await db.escalation.findUnique({ where: { id } });
  if (!row) throw new NotFound(`No escalation ${id}.`);
  return toEscalationDto(row);
}

export async function countOpenEscalations(db: Tx): Promise<number> {
  return db.escalation.count({ where: { state: "open" } });
}

export interface EscalationSummary {
  open: number;
  byKind: Record<EscalationDto["kind"], number>;
}

export async function escalationSummary(db: Tx): Promise<EscalationSummary> {
  const rows = await db.escalation.groupBy({ by: ["kind"], where: { state: "open" }, _count: { _all: true } });
  const byKind = { vote: 0, task: 0, routing: 0 };
  for (const r of rows) byKind[r.kind] = r._count._all;
  return { open: byKind.vote + byKind.task + byKind.routing, byKind };
}
