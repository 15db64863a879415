// The claim's fallback rule, kept once in SQL: whose pending tasks an agent may claim. Every query that
// needs the rule (the claim, the briefing, claimableAssignees) embeds eligibleCtes.
import { activeSql } from "@/lib/agents/status";
import { poolOf, type Db } from "@/lib/db/client";

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
      WHERE c.cur <> ${callerParam} AND NOT ${activeSql("n")} AND n.fallback IS NOT NULL AND c.depth < 32
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
