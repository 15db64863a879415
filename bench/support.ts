// Shared by the benchmarks: a fresh database, the production app on a free port, timing helpers.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";

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
