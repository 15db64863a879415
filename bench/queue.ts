// npm run bench:queue — claim+complete cycles per second over HTTP with 32 concurrent agents against the
// production build, and the same cycle as raw SQL through `pg` (the floor). Target: ≥ 500/s over HTTP, within 4× of SQL.
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { benchDatabase, ensureBuild, percentile, startApp } from "./support";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";

async function seedTasks(pool: pg.Pool, agents: string[], perAgent: number, tag: string): Promise<void> {
  await pool.query(
    `INSERT INTO tasks (id, title, type, assignee, created_by, source, updated_at)
     SELECT 'task-' || $1 || '-' || a || '-' || lpad(g::text, 6, '0'), 'Bench task ' || g, 'bench', a, 'bench', 'api', now()
     FROM unnest($2::text[]) AS a, generate_series(1, $3) AS g`,
    [tag, agents, perAgent],
  );
}

async function loop(
  agents: string[],
  seconds: number,
  cycle: (agent: string, i: number) => Promise<boolean>,
): Promise<{ cycles: number; elapsed: number; latencies: number[] }> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    agents.map(async (agent, i) => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        if (!(await cycle(agent, i))) return;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    cycles: latencies.length,
    elapsed: (performance.now() - started) / 1000,
    latencies: latencies.sort((a, b) => a - b),
  };
}

async function main() {
  await ensureBuild();
  const db = await benchDatabase();
  console.log(`Database: ${db.label}`);
  await migrate(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: AGENTS + 2 });
  pool.on("error", () => {}); // idle clients are cut when the bench database is dropped
  const agents = Array.from({ length: AGENTS }, (_, i) => `bench-${String(i + 1).padStart(2, "0")}`);
  await pool.query(`INSERT INTO agents (name, display_name, updated_at) SELECT a, a, now() FROM unnest($1::text[]) a`, [
    agents,
  ]);

  const app = await startApp(db.url, {
    FED_ADMIN_TOKEN: ADMIN,
    FED_ADMIN_PASSWORD: "bench-password-123",
    FED_DB_POOL_SIZE: process.env.FED_DB_POOL_SIZE ?? "16",
  });
  try {
    const post = async (path: string, token: string, body: unknown) => {
      const res = await fetch(`${app.base}/api/v1${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: res.status === 204 ? null : await res.json() };
    };
    const tokens = await Promise.all(
      agents.map(async (a) => (await post(`/agents/${a}/tokens`, ADMIN, {})).body.token as string),
    );
    const perAgent = Math.ceil((SECONDS * 2000) / AGENTS) + 50;

    // HTTP: POST /tasks/claim then POST /tasks/{id}/complete, 32 agents in parallel.
    await seedTasks(pool, agents, perAgent, "http");
    await loop(agents, 2, async (_a, i) => {
      const c = await post("/tasks/claim", tokens[i]!, {});
      if (c.status !== 200) return false;
      await post(`/tasks/${c.body.id}/complete`, tokens[i]!, {
        success: true,
        durationMinutes: 1,
        leaseToken: c.body.leaseToken,
      });
      return true;
    });
    const http = await loop(agents, SECONDS, async (_a, i) => {
      const c = await post("/tasks/claim", tokens[i]!, {});
      if (c.status === 204) return false;
      if (c.status !== 200) throw new Error(`claim answered ${c.status}: ${JSON.stringify(c.body)}`);
      const done = await post(`/tasks/${c.body.id}/complete`, tokens[i]!, {
        success: true,
        durationMinutes: 1,
        leaseToken: c.body.leaseToken,
      });
      if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${JSON.stringify(done.body)}`);
      return true;
    });

    // Raw SQL: the same cycle (claim with SKIP LOCKED + audit event; complete + outcome + audit event).
    await seedTasks(pool, agents, perAgent, "sql");
    const sqlCycle = async (agent: string) => {
      const client = await pool.connect();
      try {
        const claimed = await client.query(
          `WITH candidate AS (
             SELECT t.id FROM tasks t WHERE t.state = 'pending' AND t.assignee = ANY($1::text[])
               AND NOT EXISTS (SELECT 1 FROM task_dependencies d JOIN tasks dt ON dt.id = d.depends_on_id WHERE d.task_id = t.id AND dt.state <> 'completed')
             ORDER BY t.priority DESC, t.created_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED
           ), claimed AS (
             UPDATE tasks SET state = 'in_progress', claimed_by = $2, claimed_at = now(), lease_expires_at = now() + interval '300 seconds', updated_at = now()
             FROM candidate WHERE tasks.id = candidate.id RETURNING tasks.*
           ), logged AS (
             INSERT INTO audit_events (actor, action, subject, details) SELECT $2, 'task.claimed', 'task:' || id, '{}'::jsonb FROM claimed
           ) SELECT * FROM claimed`,
          [[agent], agent],
        );
        const task = claimed.rows[0];
        if (!task) return false;
        await client.query("BEGIN");
        await client.query(`SELECT id FROM tasks WHERE id = $1 FOR UPDATE`, [task.id]);
        await client.query(
          `UPDATE tasks SET state = 'completed', completed_at = now(), lease_expires_at = NULL, outcome = $2, last_completion = $2, updated_at = now() WHERE id = $1`,
          [task.id, { success: true }],
        );
        await client.query(
          `INSERT INTO outcomes (agent, task_type, success, duration_minutes, task_id) VALUES ($1, 'bench', true, 1, $2)`,
          [agent, task.id],
        );
        await client.query(
          `INSERT INTO audit_events (actor, action, subject, details) VALUES ($1, 'task.completed', $2, '{}')`,
          [agent, `task:${task.id}`],
        );
        await client.query("COMMIT");
        return true;
      } finally {
        client.release();
      }
    };
    await loop(agents, 1, sqlCycle);
    const sql = await loop(agents, SECONDS, sqlCycle);

    const httpRate = http.cycles / http.elapsed;
    const sqlRate = sql.cycles / sql.elapsed;
    const ratio = sqlRate / httpRate;
    console.log(`\nQueue benchmark: ${AGENTS} concurrent agents, ${SECONDS} s each, claim + complete per cycle`);
    console.log(
      `  HTTP (production build): ${httpRate.toFixed(0)} cycles/s  (p50 ${percentile(http.latencies, 50).toFixed(1)} ms, p99 ${percentile(http.latencies, 99).toFixed(1)} ms per cycle)`,
    );
    console.log(
      `  raw SQL through pg:      ${sqlRate.toFixed(0)} cycles/s  (p50 ${percentile(sql.latencies, 50).toFixed(1)} ms, p99 ${percentile(sql.latencies, 99).toFixed(1)} ms per cycle)`,
    );
    console.log(`  SQL / HTTP ratio:        ${ratio.toFixed(2)}×`);
    console.log(
      `  targets: ≥ 500 cycles/s over HTTP → ${httpRate >= 500 ? "met" : "NOT met"}; within 4× of SQL → ${ratio <= 4 ? "met" : "NOT met"}`,
    );
  } finally {
    await app.stop();
    await pool.end();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
