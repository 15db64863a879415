// Shared by the benchmarks: a fresh database, the production app on a free port, timing helpers.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh database on DATABASE_URL's server (or local PostgreSQL), else an embedded one. */
export async function benchDatabase(): Promise<{ url: string; label: string; drop: () => Promise<void> }> {
  const server = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  try {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    const name = `fed_bench_${Date.now().toString(36)}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    const version = await (async () => {
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      const v = (await c.query("SHOW server_version")).rows[0].server_version;
      await c.end();
      return v;
    })();
    return {
      url: url.toString(),
      label: `PostgreSQL ${version} at ${url.host}`,
      drop: async () => {
        const c = new pg.Client({ connectionString: server });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  } catch {
    const db = await startEmbeddedDatabase();
    return { url: db.url, label: "embedded PGlite (no PostgreSQL server reachable)", drop: () => db.stop() };
  }
}

export async function ensureBuild(): Promise<void> {
  if (existsSync(path.resolve(".next", "BUILD_ID"))) return;
  console.log("No production build: running next build…");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "build"], {
      stdio: "inherit",
    });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build exited with ${code}`))));
  });
}

export interface RunningApp {
  base: string;
  stop: () => Promise<void>;
}

export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    detached: false,
    env: {
      ...process.env,
      ...env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      FED_DATA_DIR: path.resolve(".data/bench"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  child.stdout!.on("error", () => {});
  child.stderr!.on("error", () => {});
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited:\n${log}`);
    if (
      await fetch(`${base}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return {
        base,
        stop: () =>
          new Promise((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGINT");
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill("SIGKILL");
  throw new Error(`the app did not start:\n${log}`);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One authenticated GET, timed (ms); anything but 200 stops the benchmark. */
export async function timeGet(base: string, token: string, path: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return performance.now() - t0;
}

/**
 * p50/p95 of each endpoint over HTTP: `calls` calls each, in three interleaved rounds after a warm-up, printed
 * against a p95 target. Returns the worst p95.
 */
export async function measureEndpoints(options: {
  title: string;
  base: string;
  token: string;
  endpoints: [string, string][];
  calls: number;
  targetMs: number;
  warmUp?: number;
}): Promise<number> {
  const { base, token, endpoints, targetMs } = options;
  const samples = new Map<string, number[]>(endpoints.map(([name]) => [name, []]));
  for (const [, path] of endpoints) for (let i = 0; i < (options.warmUp ?? 3); i++) await timeGet(base, token, path);
  const perRound = Math.ceil(options.calls / 3);
  for (let round = 0; round < 3; round++)
    for (let i = 0; i < perRound; i++)
      for (const [name, path] of endpoints) samples.get(name)!.push(await timeGet(base, token, path));
  console.log(`\n${options.title}, ${perRound * 3} calls each (3 interleaved rounds) — target p95 < ${targetMs} ms`);
  const width = Math.max(...endpoints.map(([name]) => name.length)) + 2;
  let worst = 0;
  for (const [name] of endpoints) {
    const s = samples.get(name)!.sort((a, b) => a - b);
    const p95 = percentile(s, 95);
    worst = Math.max(worst, p95);
    console.log(
      `  ${name.padEnd(width)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   ${p95 < targetMs ? "met" : "NOT met"}`,
    );
  }
  return worst;
}

/**
 * The production build on a fresh, migrated bench database, with the admin token, no sweeps and no rate limit: what
 * the read benchmarks measure against.
 */
export async function benchApp(
  admin: string,
): Promise<{ db: Awaited<ReturnType<typeof benchDatabase>>; app: RunningApp }> {
  await ensureBuild();
  const db = await benchDatabase();
  console.log(`Database: ${db.label}`);
  await migrate(db.url);
  const app = await startApp(db.url, {
    FED_ADMIN_TOKEN: admin,
    FED_DISABLE_SWEEPS: "1",
    FED_RATE_LIMIT_PER_MINUTE: "0",
  });
  return { db, app };
}
