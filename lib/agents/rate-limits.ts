// Rate limits that end by themselves: the sweep (on every instance; each row changes once) returns agents whose
// `until` has passed to active, with an audit event each.
import { poolOf, type Db } from "@/lib/db/client";
import { actionSql } from "@/lib/audit/actions";
import { activeSql } from "./status";

export async function expireRateLimits(db: Db): Promise<string[]> {
  const { rows } = await poolOf(db).query<{ name: string }>(
    `WITH ended AS (
       UPDATE agents a SET status = 'active', status_until = NULL, updated_at = now()
       WHERE a.status = 'rate_limited' AND ${activeSql("a")}
       RETURNING a.name
     ), logged AS (
       INSERT INTO audit_events (actor, action, subject, details)
       SELECT 'system', ${actionSql("agent.status_changed")}, 'agent:' || e.name,
         jsonb_build_object('status', jsonb_build_object('from', 'rate_limited', 'to', 'active'), 'reason', 'rate limit ended')
       FROM ended e
     )
     SELECT name FROM ended`,
  );
  return rows.map((r) => r.name);
}
