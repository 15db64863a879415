// npm run bench:queue — the queue against pg-boss on the same PostgreSQL server, 32 workers, interleaved over 3
// rounds at 5 000 and at 100 000 pending:
//   pg-boss     fetch one + complete (the anchor): pg-boss 12, the current release, whose fetch walks an index in
//               priority order; it needs Node 22, so it runs in its own process (bench/pg-boss, installed on first
//               use with its own Node from the npm registry);
//   statements  the app's own claim + complete (lib/queue), in process, no HTTP;
//   HTTP        POST /tasks/claim + POST /tasks/{id}/complete against the production build;
//   claimNext   POST /tasks/{id}/complete with claimNext: one request per task.
//   SQL floor   the smallest SKIP LOCKED queue (one indexed fetch, one update) on the same server, for scale.
// Prints cycles/s, p50/p99 per cycle, the ratios to pg-boss, and the claim's own p50 at each size.
// Targets: HTTP ≥ 0.5× pg-boss, claimNext ≥ 0.7×, statements ≥ 1.0×; claim p50 at 100 000 within 1.5× of 5 000.
import pg from "pg";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createInterface } from "node:readline";
import type { Actor } from "@/lib/auth/actor";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { claimTask } from "@/lib/queue/claim-task";
import { completeTask } from "@/lib/queue/complete-task";
import { benchDatabase, ensureBuild, percentile, startApp } from "./support";
// Bulk statements here may run long on purpose: no per-statement timeout in this process (the app keeps its own).
process.env.FED_DB_QUERY_TIMEOUT_MS ??= "0";

const WORKERS = Number(process.env.BENCH_AGENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LEVELS = (process.env.BENCH_LEVELS ?? "5000,100000").split(",").map(Number);
/** BENCH_ONLY=statements,pg-boss runs just those variants (for digging; the targets need them all). */
const ONLY = process.env.BENCH_ONLY?.split(",");
const POOL = Number(process.env.FED_DB_POOL_SIZE ?? 16);
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";
/** Headroom above the level, so a window never drains the queue below it. */
const BUDGET = 12_000;

interface Window {
  cycles: number;
  elapsed: number;
  latencies: number[];
  /** CPU milliseconds per cycle by process (Linux): where a cycle's cost goes. */
  cpu?: Record<string, number>;
}

/** CPU seconds used so far by each process of PostgreSQL, the app server, pg-boss and this bench (from /proc). */
function cpuByProcess(): Map<string, { key: string; seconds: number }> | null {
  if (!existsSync("/proc/self/stat")) return null;
  const out = new Map<string, { key: string; seconds: number }>();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const key = cmd.startsWith("postgres")
        ? "postgres"
        : cmd.includes("scripts/server.ts")
          ? "app"
          : cmd.includes("pg-boss/worker.mjs")
            ? "pg-boss"
            : Number(pid) === process.pid
              ? "bench"
              : null;
      if (key) out.set(pid, { key, seconds });
    } catch {
      /* the process ended */
    }
  }
  return out;
}

async function measured(cycles: () => Promise<Window>): Promise<Window> {
  const before = cpuByProcess();
  const w = await cycles();
  const after = cpuByProcess();
  if (!before || !after || !w.cycles) return w;
  // Per process, so one that ended during the window does not take its earlier CPU with it.
  const cpu: Record<string, number> = {};
  for (const [pid, { key, seconds }] of after) {
    cpu[key] = (cpu[key] ?? 0) + ((seconds - (before.get(pid)?.seconds ?? 0)) * 1000) / w.cycles;
  }
  for (const k of Object.keys(cpu)) if (cpu[k]! < 0.05) delete cpu[k];
  return { ...w, cpu };
}
const cpuText = (cpu?: Record<string, number>) =>
  cpu
    ? "   CPU ms/cycle: " +
      Object.entries(cpu)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(", ")
    : "";

async function loop(workers: number, seconds: number, cycle: (i: number) => Promise<number>): Promise<Window> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let cycles = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, i) => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const done = await cycle(i);
        if (!done) return;
        cycles += done;
        latencies.push((performance.now() - t0) / done);
      }
    }),
  );
  return { cycles, elapsed: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

async function main() {
  await ensureBuild();
  const db = await benchDatabase();
  console.log(`Database: ${db.label}; ${WORKERS} workers; ${SECONDS} s windows; ${ROUNDS} interleaved rounds`);
  await migrate(db.url);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  pool.on("error", () => {}); // idle clients are cut when the bench database is dropped
  // BENCH_VARIANT_SQL: a schema change to measure (e.g. without an index), applied after the migrations.
  if (process.env.BENCH_VARIANT_SQL) {
    console.log(`Variant: ${process.env.BENCH_VARIANT_SQL}`);
    await pool.query(process.env.BENCH_VARIANT_SQL);
  }
  const agents = Array.from({ length: WORKERS }, (_, i) => `bench-${String(i + 1).padStart(2, "0")}`);
  await pool.query(`INSERT INTO agents (name, display_name, updated_at) SELECT a, a, now() FROM unnest($1::text[]) a`, [
    agents,
  ]);
  let seq = 0;
  /** Tops the app's pending tasks up to `level + BUDGET`, spread evenly over the agents. */
  const topUpApp = async (level: number) => {
    // The outbox as the notifier keeps it (empty between rounds), its trigger on (the "no outbox" variant's off).
    await pool.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_notification_outbox`);
    await pool.query(`DELETE FROM notification_outbox`);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE state = 'pending'`);
    const perAgent = Math.ceil(Math.max(0, level + BUDGET - rows[0]!.n) / WORKERS);
    if (!perAgent) return;
    const tag = String(++seq);
    await pool.query(
      `INSERT INTO tasks (id, title, type, priority, assignee, created_by, source, updated_at)
       SELECT 'task-b' || $1 || '-' || a || '-' || lpad(g::text, 6, '0'), 'Bench task ' || g, 'bench',
         (ARRAY['low','normal','high','urgent'])[1 + g % 4]::"TaskPriority", a, 'bench', 'api', now()
       FROM unnest($2::text[]) AS a, generate_series(1, $3) AS g`,
      [tag, agents, perAgent],
    );
    await pool.query("ANALYZE tasks");
  };

  const boss = await startBoss(db.url);
  console.log(`pg-boss ${boss.version} on Node ${boss.node}, in its own process`);

  // The floor: the smallest possible SKIP LOCKED queue on this server — one indexed fetch, one update.
  await pool.query(`CREATE TABLE floor_jobs (id bigserial PRIMARY KEY, priority int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(), state smallint NOT NULL DEFAULT 0)`);
  await pool.query(`CREATE INDEX floor_jobs_ready ON floor_jobs (priority DESC, created_at, id) WHERE state = 0`);
  const floorPool = new pg.Pool({ connectionString: db.url, max: POOL });
  floorPool.on("error", () => {});
  const topUpFloor = async (level: number) => {
    await pool.query(`DELETE FROM floor_jobs WHERE state = 2`);
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM floor_jobs WHERE state = 0`);
    await pool.query(`INSERT INTO floor_jobs (priority) SELECT g % 4 FROM generate_series(1, $1) g`, [
      Math.max(0, level + BUDGET - rows[0]!.n),
    ]);
    await pool.query("ANALYZE floor_jobs");
  };

  const prisma = createPrisma(db.url, POOL);
  const app = await startApp(db.url, {
    FED_ADMIN_TOKEN: ADMIN,
    FED_ADMIN_PASSWORD: "bench-password-123",
    FED_DB_POOL_SIZE: String(POOL),
    FED_RATE_LIMIT_PER_MINUTE: "0",
    FED_DISABLE_SWEEPS: "1",
  });
  // The load generator shares the 2 cores with the app and PostgreSQL: node:http with keep-alive costs it about
  // half of what fetch does per request, which leaves more of the machine to what is measured.
  const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS * 2 });
  const { hostname, port } = new URL(app.base);
  const post = (path: string, token: string, body: unknown) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = http.request(
        {
          agent,
          hostname,
          port,
          method: "POST",
          path: `/api/v1${path}`,
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  try {
    const tokens = await Promise.all(
      agents.map(async (a) => (await post(`/agents/${a}/tokens`, ADMIN, {})).body.token as string),
    );
    const actors: Actor[] = agents.map((a) => ({ kind: "agent", role: "agent", agent: a, tokenId: a, label: a }));

    const variants: Record<string, { top: (level: number) => Promise<void>; cycle: (i: number) => Promise<number> }> = {
      "SQL floor": {
        top: topUpFloor,
        cycle: async () => {
          const { rows } = await floorPool.query(
            `UPDATE floor_jobs SET state = 1 WHERE id = (SELECT id FROM floor_jobs WHERE state = 0
               ORDER BY priority DESC, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id`,
          );
          if (!rows[0]) return 0;
          await floorPool.query(`UPDATE floor_jobs SET state = 2 WHERE id = $1`, [rows[0].id]);
          return 1;
        },
      },
      "pg-boss": {
        top: async (level) => {
          const { plan } = await boss.ask<{ plan: string }>({ cmd: "top", level, budget: BUDGET });
          if (!bossPlans[level]) console.log(`  pg-boss's fetch at ${level.toLocaleString("en")}: ${oneLine(plan)}`);
          bossPlans[level] = plan;
        },
        cycle: async () => 0, // run by its own process: see runVariant
      },
      statements: {
        top: topUpApp,
        cycle: async (i) => {
          const t0 = performance.now();
          const task = await claimTask(prisma, actors[i]!, { leaseSeconds: 300 });
          claimTimes.push(performance.now() - t0);
          if (!task) return 0;
          await completeTask(prisma, actors[i]!, task.id, { success: true, durationMinutes: 1 }, task.leaseToken);
          return 1;
        },
      },
      // The same as statements without the notification outbox's trigger: what telling people costs a completion.
      "no outbox": {
        top: async (level) => {
          await topUpApp(level);
          await pool.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_notification_outbox`);
        },
        cycle: async (i) => {
          const task = await claimTask(prisma, actors[i]!, { leaseSeconds: 300 });
          if (!task) return 0;
          await completeTask(prisma, actors[i]!, task.id, { success: true, durationMinutes: 1 }, task.leaseToken);
          return 1;
        },
      },
      HTTP: {
        top: topUpApp,
        cycle: async (i) => {
          const c = await post("/tasks/claim", tokens[i]!, {});
          if (c.status === 204) return 0;
          if (c.status !== 200) throw new Error(`claim answered ${c.status}: ${JSON.stringify(c.body)}`);
          const done = await post(`/tasks/${c.body.id}/complete`, tokens[i]!, {
            success: true,
            durationMinutes: 1,
            leaseToken: c.body.leaseToken,
          });
          if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${JSON.stringify(done.body)}`);
          return 1;
        },
      },
      claimNext: {
        top: topUpApp,
        cycle: async (i) => {
          // Each worker holds one task at a time; completing it claims the next in the same request.
          let held = holding[i];
          if (!held) {
            const c = await post("/tasks/claim", tokens[i]!, {});
            if (c.status !== 200) return 0;
            held = { id: c.body.id, lease: c.body.leaseToken };
          }
          const done = await post(`/tasks/${held.id}/complete`, tokens[i]!, {
            success: true,
            durationMinutes: 1,
            leaseToken: held.lease,
            claimNext: true,
          });
          if (done.status !== 200) throw new Error(`complete answered ${done.status}: ${JSON.stringify(done.body)}`);
          holding[i] = done.body.next ? { id: done.body.next.id, lease: done.body.next.leaseToken } : undefined;
          return 1;
        },
      },
    };
    const bossPlans: Record<number, string> = {};
    const runVariant = async (name: string, seconds: number): Promise<Window> => {
      if (name !== "pg-boss") return loop(WORKERS, seconds, variants[name]!.cycle);
      const w = await boss.ask<{ cycles: number; elapsed: number; latencies: number[] }>({
        cmd: "run",
        workers: WORKERS,
        seconds,
      });
      return { ...w, latencies: w.latencies.sort((a, b) => a - b) };
    };
    for (const name of Object.keys(variants)) if (ONLY && !ONLY.includes(name)) delete variants[name];
    let holding: ({ id: string; lease: string } | undefined)[] = [];
    let claimTimes: number[] = [];

    const results: Record<string, Record<string, Window[]>> = {};
    const claimP50: Record<number, number[]> = {};
    const aloneP50: Record<number, number[]> = {};
    /** The claim's own cost: one worker, nothing else running, claim (timed) + complete. */
    const claimAlone = async (level: number, n = 300): Promise<number> => {
      await topUpApp(level);
      const times: number[] = [];
      for (let k = 0; k < n; k++) {
        const t0 = performance.now();
        const task = await claimTask(prisma, actors[k % WORKERS]!, { leaseSeconds: 300 });
        times.push(performance.now() - t0);
        if (task)
          await completeTask(
            prisma,
            actors[k % WORKERS]!,
            task.id,
            { success: true, durationMinutes: 1 },
            task.leaseToken,
          );
      }
      return percentile(
        times.sort((a, b) => a - b),
        50,
      );
    };
    for (const level of LEVELS) {
      results[level] = {};
      claimP50[level] = [];
      aloneP50[level] = [];
      console.log(`\n${level.toLocaleString("en")} pending (kept between ${level} and ${level + BUDGET}):`);
      // Warm up every path once (JIT, prepared statements, connection pools).
      for (const [name, v] of Object.entries(variants)) {
        await v.top(level);
        holding = [];
        await runVariant(name, 1);
        await releaseHeld(name);
      }
      for (let round = 1; round <= ROUNDS; round++) {
        for (const [name, v] of Object.entries(variants)) {
          await v.top(level);
          holding = [];
          claimTimes = [];
          const w = await measured(() => runVariant(name, SECONDS));
          await releaseHeld(name);
          (results[level]![name] ??= []).push(w);
          if (name === "statements")
            claimP50[level]!.push(
              percentile(
                claimTimes.sort((a, b) => a - b),
                50,
              ),
            );
          console.log(
            `  round ${round}  ${name.padEnd(10)} ${(w.cycles / w.elapsed).toFixed(0).padStart(6)} cycles/s   p50 ${percentile(w.latencies, 50).toFixed(1).padStart(5)} ms   p99 ${percentile(w.latencies, 99).toFixed(1).padStart(6)} ms${cpuText(w.cpu)}`,
          );
        }
        if (!ONLY || ONLY.includes("statements")) {
          aloneP50[level]!.push(await claimAlone(level));
          console.log(`  round ${round}  claim alone (one worker): p50 ${aloneP50[level]!.at(-1)!.toFixed(2)} ms`);
        }
      }
    }

    async function releaseHeld(name: string) {
      if (name !== "claimNext") return;
      await Promise.all(
        holding.map(
          (h, i) =>
            h && post(`/tasks/${h.id}/release`, tokens[i]!, { leaseToken: h.lease, reason: "bench window over" }),
        ),
      );
      holding = [];
    }

    console.log("\nSummary (mean of the rounds; ratios to pg-boss in the same rounds):");
    const rate = (ws: Window[] | undefined) =>
      ws ? ws.reduce((a, w) => a + w.cycles / w.elapsed, 0) / ws.length : Number.NaN;
    for (const level of LEVELS) {
      const boss = rate(results[level]!["pg-boss"]!);
      console.log(`  ${level.toLocaleString("en")} pending:`);
      for (const [name, ws] of Object.entries(results[level]!)) {
        const r = rate(ws);
        const cpu: Record<string, number> = {};
        for (const w of ws) for (const [k, v] of Object.entries(w.cpu ?? {})) cpu[k] = (cpu[k] ?? 0) + v / ws.length;
        console.log(
          `    ${name.padEnd(10)} ${r.toFixed(0).padStart(6)} cycles/s   ×${(r / boss).toFixed(2)} pg-boss   ×${(r / rate(results[level]!["SQL floor"]!)).toFixed(2)} floor${cpuText(Object.keys(cpu).length ? cpu : undefined)}`,
        );
      }
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      console.log(
        `    claim p50: ${avg(aloneP50[level]!).toFixed(2)} ms alone (one worker), ${avg(claimP50[level]!).toFixed(2)} ms among 32 workers (statements)`,
      );
    }
    if (variants.statements && variants["no outbox"])
      for (const level of LEVELS)
        console.log(
          `  the outbox's trigger at ${level.toLocaleString("en")}: statements ×${(rate(results[level]!.statements) / rate(results[level]!["no outbox"])).toFixed(2)} of the same without it`,
        );
    const [small, large] = [LEVELS[0]!, LEVELS[LEVELS.length - 1]!];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratioOf = (level: number, name: string) => rate(results[level]![name]!) / rate(results[level]!["pg-boss"]!);
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    if (ONLY) return;
    console.log("\nTargets:");
    for (const level of LEVELS) {
      console.log(
        `  at ${level.toLocaleString("en")}: HTTP ×${ratioOf(level, "HTTP").toFixed(2)} ≥ 0.5 → ${verdict(ratioOf(level, "HTTP") >= 0.5)}; claimNext ×${ratioOf(level, "claimNext").toFixed(2)} ≥ 0.7 → ${verdict(ratioOf(level, "claimNext") >= 0.7)}; statements ×${ratioOf(level, "statements").toFixed(2)} ≥ 1.0 → ${verdict(ratioOf(level, "statements") >= 1)}`,
      );
    }
    const growth = mean(aloneP50[large]!) / mean(aloneP50[small]!);
    const loaded = mean(claimP50[large]!) / mean(claimP50[small]!);
    console.log(
      `  claim p50 at ${large.toLocaleString("en")} is ×${growth.toFixed(2)} its value at ${small.toLocaleString("en")} (≤ 1.5 → ${verdict(growth <= 1.5)}); among 32 workers ×${loaded.toFixed(2)} (that one also carries the machine's drift between the two sizes, which run one after the other)`,
    );
  } finally {
    await app.stop();
    await boss.stop();
    await prisma.$disconnect();
    await floorPool.end();
    await pool.end();
    await db.drop();
  }
}

const oneLine = (plan: string) =>
  plan
    .split("\n")
    .map((l) => l.trim().replace(/^->\s*/, ""))
    .filter((l) => /Scan|Sort/.test(l))
    .map((l) => l.replace(/\s*\(cost=.*$/, ""))
    .join(" → ");

/** pg-boss 12 in a Node 22 process of its own, driven over stdin/stdout (bench/pg-boss/worker.mjs). */
async function startBoss(url: string) {
  const dir = "bench/pg-boss";
  const node = `${dir}/node_modules/.bin/node`;
  if (!existsSync(node)) {
    console.log("Installing the bench's pg-boss (and the Node 22 it needs) into bench/pg-boss …");
    const r = spawnSync("npm", ["ci", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error"], {
      stdio: "inherit",
    });
    if (r.status !== 0) throw new Error("Could not install bench/pg-boss");
  }
  const child = spawn(node, [`${dir}/worker.mjs`, url], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, POOL: String(POOL) },
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const ask = async <T>(command?: object): Promise<T> => {
    if (command) child.stdin!.write(JSON.stringify(command) + "\n");
    const { value, done } = await lines.next();
    if (done) throw new Error("pg-boss's process ended");
    const answer = JSON.parse(value as string);
    if (answer.error) throw new Error(`pg-boss: ${answer.error}`);
    return answer as T;
  };
  const hello = await ask<{ version: string }>();
  const nodeVersion = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  return {
    version: hello.version,
    node: nodeVersion,
    ask,
    stop: async () => {
      child.stdin!.end(JSON.stringify({ cmd: "stop" }) + "\n");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
