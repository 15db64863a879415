// npm run bench:analytics — 1,000,000 outcomes and 200,000 tasks, then p50/p95 of the dashboard, leaderboard
// and task-type endpoints over HTTP (production build), 50 calls each, in three interleaved rounds.
// Target: p95 < 150 ms.
import pg from "pg";
import { KNOWN_TASK_TYPES } from "@/lib/queue/schema";
import { benchApp, measureEndpoints } from "./support";
import { SEED_AGENTS } from "@/lib/agents/schema";

const OUTCOMES = Number(process.env.BENCH_OUTCOMES ?? 1_000_000);
const TASKS = Number(process.env.BENCH_TASKS ?? 200_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";
const AGENTS = SEED_AGENTS.map((a) => a.name);
const TYPES = [...KNOWN_TASK_TYPES];

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // cut when the bench database is dropped
  await client.connect();
  const t0 = performance.now();
  await client.query(
    `INSERT INTO tasks (id, title, type, assignee, created_by, source, state, routing, created_at, updated_at, completed_at)
     SELECT 'task-20260101-000000-' || lpad(g::text, 7, '0'), 'Bench task ' || g, ($2::text[])[1 + g % 9], ($3::text[])[1 + g % 6], 'bench',
       (CASE WHEN g % 3 = 0 THEN 'auto' ELSE 'api' END)::"TaskSource",
       (CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 23 = 0 THEN 'failed' ELSE 'completed' END)::"TaskState",
       CASE WHEN g % 4 <> 0 THEN jsonb_build_object('agent', ($3::text[])[1 + g % 6], 'confidence', 0.8, 'method', 'hybrid') END,
       now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute', now(), now()
     FROM generate_series(1, $1) g`,
    [TASKS, TYPES, AGENTS],
  );
  await client.query(
    `INSERT INTO outcomes (agent, task_type, success, duration_minutes, rework, task_id, routed_agent, at)
     SELECT ($2::text[])[1 + g % 6], ($3::text[])[1 + (g / 7) % 9], (g::bigint * 7919) % 10 < 8, 5 + (g % 173), g % 11 = 0,
       'task-20260101-000000-' || lpad((1 + g % $4)::text, 7, '0'), CASE WHEN g % 4 <> 0 THEN ($2::text[])[1 + (g / 3) % 6] END,
       now() - (g % 60) * interval '1 day' - (g % 1440) * interval '1 minute'
     FROM generate_series(1, $1) g`,
    [OUTCOMES, AGENTS, TYPES, TASKS],
  );
  await client.query("VACUUM ANALYZE");
  const { rows } = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM outcome_rollups");
  console.log(
    `Seeded ${TASKS.toLocaleString("en")} tasks and ${OUTCOMES.toLocaleString("en")} outcomes (${Number(rows[0]!.n).toLocaleString("en")} rollup rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await client.end();
}

async function main() {
  const { db, app } = await benchApp(ADMIN);
  try {
    await seed(db.url);
    const endpoints: [string, string][] = [
      ["dashboard (all time)", "/analytics/dashboard"],
      ["dashboard (30 days)", "/analytics/dashboard?window=30d"],
      ["leaderboard (all time)", "/analytics/leaderboard"],
      ["leaderboard (implementation, 7 days)", "/analytics/leaderboard?taskType=implementation&window=7d"],
      ["task type (implementation)", "/analytics/task-types/implementation"],
    ];
    await measureEndpoints({
      title: "Analytics endpoints over HTTP",
      base: app.base,
      token: ADMIN,
      endpoints,
      calls: CALLS,
      targetMs: 150,
      warmUp: 5,
    });
  } catch (error) {
    console.error(error);
    throw error;
  } finally {
    await app.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
