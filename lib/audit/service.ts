// Reads the audit log as a page of events or as a FEDERATION_LOG.md document.
import type { Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, numericCursor, toPage, type Page } from "@/lib/http/list";
import type { EventDto, LogQuery } from "./schema";

type EventRow = { id: bigint; at: Date; actor: string; action: string; subject: string; details: Prisma.JsonValue };

export function toEventDto(row: EventRow): EventDto {
  return {
    id: Number(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: (row.details ?? {}) as Record<string, unknown>,
  };
}

export async function listEvents(db: Tx, query: LogQuery): Promise<Page<EventDto>> {
  const before = decodeCursor(query.cursor, numericCursor);
  const rows = await db.auditEvent.findMany({
    where: {
      ...(before !== undefined ? { id: { lt: BigInt(before) } } : {}),
      ...(query.actor ? { actor: query.actor } : {}),
      ...(query.action ? { action: { startsWith: query.action } } : {}),
      ...(query.subject ? { subject: query.subject } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  return toPage(rows, query.limit, toEventDto, (row) => Number(row.id));
}

export async function eventsForSubject(db: Tx, subject: string, limit = 100): Promise<EventDto[]> {
  const rows = await db.auditEvent.findMany({ where: { subject }, orderBy: { id: "desc" }, take: limit });
  return rows.map(toEventDto);
}

function describeDetails(details: Record<string, unknown>): string {
  const parts = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  return parts.length ? ` — ${parts.join(", ")}` : "";
}

/** The log as the seed's FEDERATION_LOG.md: newest first, grouped by UTC day. */
export function renderLogMarkdown(events: EventDto[], generatedAt = new Date()): string {
  const lines = [
    "# FEDERATION_LOG",
    "",
    `_Generated ${generatedAt.toISOString()} · ${events.length} event(s), newest first._`,
    "",
  ];
  let day = "";
  for (const e of events) {
    const d = e.at.slice(0, 10);
    if (d !== day) {
      if (day) lines.push("");
      day = d;
      lines.push(`## ${d}`, "");
    }
    // Line breaks and other control characters would start a forged line of the document; every character that
    // means something to Markdown is escaped, the backslash first (else "\<img" would un-escape the "<").
    const md = (s: string) =>
      s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").replace(/[\\`*_|#<>\[\]()!~]/g, (c) => `\\${c}`);
    lines.push(
      `- \`${e.at.slice(11, 19)}Z\` **${md(e.actor)}** \`${e.action}\` ${md(e.subject)}${md(describeDetails(e.details))}`,
    );
  }
  if (!events.length) lines.push("_No events yet._");
  return lines.join("\n") + "\n";
}
