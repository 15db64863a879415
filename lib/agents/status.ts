// An agent's status as it is now: a rate limit whose `until` has passed is over, even before the sweep has
// written that down (lib/agents/rate-limits.ts does, with its audit event). The rule lives here once, in SQL, and
// every reader asks the database: the registry's answers, routing, the claims' fallback chains, the KPIs and a
// vote's default voters.
import type { Tx } from "@/lib/db/client";
import type { Agent } from "@/lib/generated/prisma/client";

/** Agent `a`'s status now. Never NULL: a rate limit without `until` runs until someone lifts it. */
export const statusNowSql = (a: string) =>
  `(CASE WHEN ${a}.status = 'rate_limited' AND ${a}.status_until <= now() THEN 'active'::"AgentStatus" ELSE ${a}.status END)`;

/** Is agent `a` active now? */
export const activeSql = (a: string) => `(${statusNowSql(a)} = 'active')`;

/** The agents as they are now (their status by the rule above), by name; `name` picks one. */
export function agentsNow(db: Tx, name?: string): Promise<Agent[]> {
  return db.$queryRawUnsafe<Agent[]>(
    `SELECT a.name, a.display_name AS "displayName", ${statusNowSql("a")}::text AS status, a.status_until AS "statusUntil",
            a.fallback AS "fallbackName", a.capabilities, a.last_seen_at AS "lastSeenAt", a.created_at AS "createdAt",
            a.updated_at AS "updatedAt"
       FROM agents a WHERE $1::text IS NULL OR a.name = $1 ORDER BY a.name`,
    name ?? null,
  );
}
