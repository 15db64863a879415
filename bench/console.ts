// npm run bench:console — the queue console at 200,000 tasks: p50/p95 of the board's columns, the list views,
// counts and full-text search over HTTP (production build), in three interleaved rounds. Target: p95 < 150 ms.
import pg from "pg";
import { benchApp, measureEndpoints } from "./support";
import { SEED_AGENTS } from "@/lib/agents/schema";
import { KNOWN_TASK_TYPES } from "@/lib/queue/schema";

const TASKS = Number(process.env.BENCH_TASKS ?? 200_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 60);
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";
const AGENTS = SEED_AGENTS.map((a) => a.name);
const TYPES = [...KNOWN_TASK_TYPES];
const VERBS = ["Fix", "Add", "Refactor", "Document", "Review", "Investigate", "Migrate", "Optimize", "Test", "Deploy"];
const NOUNS = [
  "the parser",
  "the billing tables",
  "the webhook client",
  "the login flow",
  "the cache layer",
  "the search index",
  "the queue worker",
  "the audit log",
  "the routing model",
  "the CLI",
  "the rate limiter",
  "the export job",
  "the deploy script",
];
const DETAILS = [
  "after the outage on Tuesday",
  "before the release",
  "so retries stop doubling the load",
  "with a test for every case the review found",
  "and write down what changed",
  "keeping the old behaviour behind a flag",
  "because customers see timeouts",
];

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  const t0 = performance.now();
  // 2% pending, 0.5% in progress, 4% failed, 1% cancelled, the rest completed; a summary on every finished task.
  await client.query(
    `INSERT INTO tasks (id, title, description, type, priority, assignee, created_by, source, state, outcome,
                        attempts, created_at, updated_at, completed_at, claimed_by, claimed_at, lease_expires_at)
     SELECT 'task-20260101-000000-' || lpad(g::text, 7, '0'),
       ($2::text[])[1 + g % 10] || ' ' || ($3::text[])[1 + (g / 10) % 13] || ' #' || g,
       'Please ' || lower(($2::text[])[1 + (g / 7) % 10]) || ' ' || ($3::text[])[1 + (g / 3) % 13] || ' ' || ($4::text[])[1 + g % 7] || '.',
       ($5::text[])[1 + g % 7],
       (ARRAY['low','normal','normal','normal','high','urgent'])[1 + g % 6]::"TaskPriority",
       ($6::text[])[1 + g % 6], 'bench', 'api',
       st.state::"TaskState",
       CASE WHEN st.state IN ('completed', 'failed') THEN jsonb_build_object('success', st.state = 'completed',
         'summary', CASE WHEN st.state = 'completed' THEN 'Done: ' ELSE 'Gave up: ' END || ($3::text[])[1 + (g / 11) % 13] || ' ' || ($4::text[])[1 + (g / 5) % 7]) END,
       CASE WHEN st.state = 'pending' THEN 0 ELSE 1 END,
       now() - (($1 - g) * interval '13 seconds'), now(),
       CASE WHEN st.state IN ('completed', 'failed', 'cancelled') THEN now() END,
       CASE WHEN st.state = 'in_progress' THEN ($6::text[])[1 + g % 6] END,
       CASE WHEN st.state = 'in_progress' THEN now() END,
       CASE WHEN st.state = 'in_progress' THEN now() + interval '1 hour' END
     FROM generate_series(1, $1) g,
     LATERAL (SELECT CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 200 = 1 THEN 'in_progress' WHEN g % 25 = 3 THEN 'failed'
                          WHEN g % 100 = 7 THEN 'cancelled' ELSE 'completed' END AS state) st`,
    [TASKS, VERBS, NOUNS, DETAILS, TYPES, AGENTS],
  );
  await client.query("VACUUM ANALYZE tasks");
  const { rows } = await client.query<{ state: string; n: string }>(
    "SELECT state::text, count(*)::text AS n FROM tasks GROUP BY 1 ORDER BY 1",
  );
  console.log(
    `Seeded ${TASKS.toLocaleString("en")} tasks (${rows.map((r) => `${r.state} ${Number(r.n).toLocaleString("en")}`).join(", ")}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await client.end();
}

async function main() {
  const { db, app } = await benchApp(ADMIN);
  try {
    await seed(db.url);
    const second = await fetch(`${app.base}/api/v1/tasks?state=completed&limit=100`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json() as Promise<{ nextCursor: string }>);
    const endpoints: [string, string][] = [
      ["board: Pending (claim order, 200)", "/tasks?state=pending&order=claim&limit=200"],
      ["board: In progress (200)", "/tasks?state=in_progress&limit=200"],
      ["board: Completed (50)", "/tasks?state=completed&limit=50"],
      ["board: Failed (100)", "/tasks?state=failed&limit=100"],
      ["counts (no filter)", "/tasks/counts"],
      ["list: all, newest (100)", "/tasks?limit=100"],
      ["list: cancelled (100)", "/tasks?state=cancelled&limit=100"],
      ["list: completed, page 2", `/tasks?state=completed&limit=100&cursor=${second.nextCursor}`],
      ["list: one agent + type (100)", "/tasks?assignee=kimi&type=review&limit=100"],
      ["search: common word (100)", "/tasks?q=parser&limit=100"],
      ["search: two words (100)", "/tasks?q=billing+outage&limit=100"],
      ["search: prefix (100)", "/tasks?q=migr&limit=100"],
      ["search: outcome summary, failed", "/tasks?q=gave+up+cache&state=failed&limit=100"],
      ["search: rare (one task)", "/tasks?q=%23123457&limit=100"],
      ["search: no match", "/tasks?q=kubernetes&limit=100"],
      ["counts: search", "/tasks/counts?q=parser"],
      ["counts: agent", "/tasks/counts?assignee=claude"],
    ];
    const worst = await measureEndpoints({
      title: `Queue console over HTTP at ${TASKS.toLocaleString("en")} tasks`,
      base: app.base,
      token: ADMIN,
      endpoints,
      calls: CALLS,
      targetMs: 150,
      warmUp: 3,
    });
    console.log(`  worst p95 ${worst.toFixed(1)} ms: ${worst < 150 ? "target met" : "target NOT met"}`);
  } finally {
    await app.stop();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
