// The chaos list, beside the soak (npm run soak): faults queue users meet, each under agents working over HTTP.
// Each test states what it proved; all need a real PostgreSQL (CI's), the restart one a server of its own.
import pg from "pg";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ensureFirstRun } from "@/lib/system/first-run";
import { onRealPostgres } from "./helpers/database";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { runAgents, type LoadReport } from "./helpers/load";
import { PrivatePostgres, privatePostgresAvailable } from "./helpers/private-postgres";
import { spawnInstance, type SecondInstance } from "./helpers/spawn-instance";

const fed = seededFederation();
let instance: SecondInstance | undefined;
let privatePg: PrivatePostgres | undefined;
afterEach(() => {
  instance?.stop();
  instance = undefined;
});
afterAll(() => privatePg?.dispose());

const AGENTS = ["claude", "kimi", "copilot", "ollama"];

async function api(url: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Tasks of a type of the test's own, spread over the agents, and two tokens per agent. */
async function prepare(url: string, type: string, n: number): Promise<{ created: string[]; tokens: string[] }> {
  const tokens: string[] = [];
  for (const agent of AGENTS) {
    await api(url, "PATCH", `/agents/${agent}`, { status: "active" });
    for (let i = 0; i < 2; i++) tokens.push((await api(url, "POST", `/agents/${agent}/tokens`)).body.token);
  }
  const created: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await api(url, "POST", "/tasks", { title: `${type} ${i}`, type, assignee: AGENTS[i % AGENTS.length] });
    expect(res.status).toBe(201);
    created.push(res.body.id);
  }
  return { created, tokens };
}

/** Every task completed, each completion recorded once and acknowledged to one claim; no 500 ever. */
async function verify(databaseUrl: string, created: string[], report: LoadReport): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ completed: number; events: number; outcomes: number }>(
      `SELECT count(*) FILTER (WHERE t.state = 'completed')::int AS completed,
         (SELECT count(*)::int FROM audit_events e WHERE e.action = 'task.completed' AND e.subject = ANY($2)) AS events,
         (SELECT count(*)::int FROM outcomes o WHERE o.success AND o.task_id = ANY($1)) AS outcomes
       FROM tasks t WHERE t.id = ANY($1)`,
      [created, created.map((id) => `task:${id}`)],
    );
    expect(rows[0]).toEqual({ completed: created.length, events: created.length, outcomes: created.length });
  } finally {
    await db.end();
  }
  expect([...report.acknowledged.values()].filter((leases) => leases.size > 1)).toEqual([]);
  expect(report.statuses.get(500) ?? 0).toBe(0);
  expect(report.unavailableWithoutRetryAfter).toBe(0);
}

async function allDone(url: string, type: string): Promise<boolean> {
  const counts = await api(url, "GET", `/tasks/counts?type=${type}`).catch(() => null);
  return counts?.status === 200 && counts.body.pending === 0 && counts.body.in_progress === 0;
}

describe.runIf(onRealPostgres)("chaos", () => {
  test.runIf(privatePostgresAvailable)(
    "PostgreSQL restarted mid-run: requests meanwhile get 503 with Retry-After, the app reconnects by itself, nothing is lost or done twice",
    async () => {
      privatePg = await PrivatePostgres.start();
      await migrate(privatePg.url);
      const prisma = createPrisma(privatePg.url, 2);
      await ensureFirstRun(prisma, { FED_ADMIN_PASSWORD: "chaos-password-123" });
      await prisma.$disconnect();
      instance = await spawnInstance({
        DATABASE_URL: privatePg.url,
        FED_ADMIN_TOKEN: ADMIN_TOKEN,
        FED_DB_POOL_TIMEOUT_MS: "2000",
      });
      const { created, tokens } = await prepare(instance.url, "chaos-restart", 160);
      let restarted = false;
      let restart: Promise<void> | null = null;
      let finished = false;
      const watcher = (async () => {
        while (!finished) {
          await new Promise((r) => setTimeout(r, 500));
          if (restarted && (await allDone(instance!.url, "chaos-restart"))) finished = true;
        }
      })();
      const report = await runAgents({
        url: instance.url,
        tokens,
        until: () => finished,
        onCompleted: (n) => {
          if (n === 50 && !restarted) {
            restarted = true;
            restart = privatePg!.restart(1_500); // every connection cut; the server away for 1.5 s
          }
        },
      });
      await watcher;
      await restart;
      await verify(privatePg.url, created, report);
      // The restart happened under load: some requests were refused (503) or cut, and work went on after.
      expect((report.statuses.get(503) ?? 0) + (report.statuses.get(0) ?? 0)).toBeGreaterThan(0);
      console.log(
        `restart: ${report.acknowledged.size} completions, statuses ${JSON.stringify(Object.fromEntries(report.statuses))}, slowest ${report.slowest.toFixed(0)} ms`,
      );
    },
    180_000,
  );

  test("pg_terminate_backend on the app's connections, three times: it reconnects, nothing is lost or done twice", async () => {
    instance = await spawnInstance({ DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN, PGAPPNAME: "fed-chaos" });
    const { created, tokens } = await prepare(instance.url, "chaos-terminate", 160);
    const admin = new pg.Client({ connectionString: fed.db.url });
    await admin.connect();
    let terminated = 0;
    let killings = 0;
    let finished = false;
    const report = await runAgents({
      url: instance.url,
      tokens,
      until: () => finished,
      onCompleted: (n) => {
        if (n % 40 === 0 && killings < 3) {
          killings++;
          void admin
            .query(
              `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = 'fed-chaos'`,
            )
            .then((r) => (terminated += r.rows[0].n));
        }
        if (n >= created.length) finished = true;
      },
    });
    while (!(await allDone(instance.url, "chaos-terminate"))) await new Promise((r) => setTimeout(r, 500));
    await admin.end();
    await verify(fed.db.url, created, report);
    expect(killings).toBe(3);
    expect(terminated).toBeGreaterThan(0);
    console.log(
      `terminate: ${terminated} connections cut in 3 rounds; statuses ${JSON.stringify(Object.fromEntries(report.statuses))}`,
    );
  }, 120_000);

  test("the pool exhausted (every connection held): requests get 503 with Retry-After within the pool timeout, never hang; then it recovers", async () => {
    instance = await spawnInstance({
      DATABASE_URL: fed.db.url,
      FED_ADMIN_TOKEN: ADMIN_TOKEN,
      FED_DB_POOL_SIZE: "2",
      FED_DB_POOL_TIMEOUT_MS: "1000",
    });
    const url = instance.url;
    const { created, tokens } = await prepare(url, "chaos-pool", 2);
    // Two agents hold a task each; someone else locks both rows, so both completions wait, holding both connections.
    const held: { id: string; leaseToken: string; token: string }[] = [];
    for (const token of [tokens[0]!, tokens[2]!]) {
      const res = await fetch(`${url}/api/v1/tasks/claim`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: "{}",
      });
      held.push({ ...(await res.json()), token });
    }
    const locker = new pg.Client({ connectionString: fed.db.url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("SELECT id FROM tasks WHERE id = ANY($1) FOR UPDATE", [held.map((h) => h.id)]);
    const completions = held.map((h) =>
      fetch(`${url}/api/v1/tasks/${h.id}/complete`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
        body: JSON.stringify({ success: true, leaseToken: h.leaseToken }),
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    // Now more agents than connections.
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${url}/api/v1/tasks?type=chaos-pool&i=${i}`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        }).then((r) => ({ status: r.status, retryAfter: r.headers.get("retry-after"), ms: performance.now() - t0 })),
      ),
    );
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => Number(a.retryAfter) >= 1)).toBe(true);
    expect(answers.every((a) => a.status === 503 || a.status === 200)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1_000 + 2_000); // the pool timeout, plus margin
    await locker.query("COMMIT");
    await locker.end();
    expect((await Promise.all(completions)).map((r) => r.status)).toEqual([200, 200]);
    // Recovered: the same request now succeeds.
    const after = await fetch(`${url}/api/v1/tasks?type=chaos-pool`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(after.status).toBe(200);
    const report: LoadReport = {
      acknowledged: new Map(held.map((h) => [h.id, new Set([h.leaseToken])])),
      statuses: new Map(),
      unavailableWithoutRetryAfter: 0,
      slowest: 0,
      claimLatencies: [],
    };
    await verify(fed.db.url, created, report);
    console.log(
      `pool: ${refused.length} of 20 refused with 503 + Retry-After; slowest answer ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms`,
    );
  }, 60_000);

  const PIN_SECONDS = Number(process.env.CHAOS_PIN_SECONDS ?? 120);
  test(
    `a transaction left open for ${PIN_SECONDS} s pins vacuum: claims keep working; latency and dead tuples reported`,
    async () => {
      instance = await spawnInstance({ DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN });
      const { tokens } = await prepare(instance.url, "chaos-pin", 0);
      const pinner = new pg.Client({ connectionString: fed.db.url });
      await pinner.connect();
      await pinner.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await pinner.query("SELECT txid_current(), count(*) FROM tasks");
      const deadTuples = async () =>
        (
          await fed.db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
            "SELECT n_dead_tup AS n FROM pg_stat_user_tables WHERE relname = 'tasks'",
          )
        )[0]?.n ?? 0n;
      const end = Date.now() + PIN_SECONDS * 1000;
      // A steady trickle of new work while the transaction stays open.
      const feeder = (async () => {
        let i = 0;
        while (Date.now() < end) {
          await api(instance!.url, "POST", "/tasks", {
            title: `pin ${i}`,
            type: "chaos-pin",
            assignee: AGENTS[i++ % 4],
          });
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const report = await runAgents({ url: instance.url, tokens, until: () => Date.now() > end });
      await feeder;
      const deadWhilePinned = await deadTuples();
      await pinner.query("COMMIT");
      await pinner.end();
      const lat = report.claimLatencies;
      const window = (from: number, to: number) =>
        lat
          .filter((l) => l.at >= from && l.at < to)
          .map((l) => l.ms)
          .sort((a, b) => a - b);
      const first = window(end - PIN_SECONDS * 1000, end - PIN_SECONDS * 1000 + 15_000);
      const last = window(end - 15_000, end);
      const p = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
      console.log(
        `pinned ${PIN_SECONDS} s: ${lat.length} claims; claim p50/p99 first 15 s ${p(first, 0.5).toFixed(1)}/${p(first, 0.99).toFixed(1)} ms, last 15 s ${p(last, 0.5).toFixed(1)}/${p(last, 0.99).toFixed(1)} ms; dead tuples in tasks while pinned: ${deadWhilePinned}`,
      );
      expect(report.statuses.get(500) ?? 0).toBe(0);
      expect(report.statuses.get(0) ?? 0).toBe(0);
      expect(lat.length).toBeGreaterThan(100);
      // Claims stay index walks: a pinned horizon slows them down, it does not stop them.
      expect(p(last, 0.99)).toBeLessThan(1_000);
    },
    (PIN_SECONDS + 120) * 1000,
  );
});
