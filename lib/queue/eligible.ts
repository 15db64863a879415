// The fallback rule, kept once in SQL: an agent that is away (standby, rate_limited, offline) has its work done by
// the first active agent down its fallback chain. Seen from the claim (whose pending tasks an agent may take: every
// query that needs it — the claim, the briefing, claimableAssignees — embeds eligibleCtes) and from routing (who
// works for the agent a task is routed to: workingAgent). Both walk the same chain with the same stop.
import { activeSql } from "@/lib/agents/status";
import { poolOf, type Db, type Tx } from "@/lib/db/client";

/** How far a chain is followed: longer chains (or loops) end there. */
const MAX_DEPTH = 32;

/**
 * Two CTEs, `chain` and `eligible`, for the agent named by the parameter `$callerParam`: the caller itself,
 * and every agent that is away (standby, rate_limited, offline) whose fallback chain reaches the caller
 * through agents that are away too. An active agent on the way takes the work itself and stops the chain. A rate
 * limit whose `until` has passed counts as over (lib/agents/status.ts).
 */
export function eligibleCtes(callerParam: string): string {
  return `chain(origin, cur, depth) AS (
      SELECT a.name, a.fallback, 1 FROM agents a WHERE NOT ${activeSql("a")} AND a.fallback IS NOT NULL AND a.name <> ${callerParam}
      UNION ALL
      SELECT c.origin, n.fallback, c.depth + 1 FROM chain c JOIN agents n ON n.name = c.cur
      WHERE c.cur <> ${callerParam} AND NOT ${activeSql("n")} AND n.fallback IS NOT NULL AND c.depth < ${MAX_DEPTH}
    ), eligible AS (
      SELECT ${callerParam}::text AS name UNION SELECT origin FROM chain WHERE cur = ${callerParam}
    )`;
}

/** The assignees whose pending tasks `caller` may claim right now (itself first, the rest by name). */
export async function claimableAssignees(db: Db, caller: string): Promise<string[]> {
  const { rows } = await poolOf(db).query<{ name: string }>(
    `WITH RECURSIVE ${eligibleCtes("$1")} SELECT name FROM eligible ORDER BY name <> $1, name`,
    [caller],
  );
  return rows.map((r) => r.name);
}

/**
 * Who works for `name` now: itself when active, else the first active agent down its fallback chain, with the away
 * agents passed on the way; null when the chain ends (or loops) before an active agent.
 */
export async function workingAgent(db: Tx, name: string): Promise<{ agent: string; via: string[] } | null> {
  const rows = await db.$queryRawUnsafe<{ agent: string; via: string[] }[]>(
    `WITH RECURSIVE walk(cur, via, active, depth) AS (
       SELECT a.name, ARRAY[]::text[], ${activeSql("a")}, 1 FROM agents a WHERE a.name = $1
       UNION ALL
       SELECT n.name, w.via || w.cur, ${activeSql("n")}, w.depth + 1
       FROM walk w JOIN agents a ON a.name = w.cur JOIN agents n ON n.name = a.fallback
       WHERE NOT w.active AND n.name <> ALL (w.via || w.cur) AND w.depth < ${MAX_DEPTH}
     )
     SELECT cur AS agent, via FROM walk WHERE active ORDER BY depth LIMIT 1`,
    name,
  );
  return rows[0] ?? null;
}
