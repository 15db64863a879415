// npm start — embedded PostgreSQL unless DATABASE_URL is set, migrations, first run, build if needed, then the app.
import "./check-settings";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { migrate, withAdvisoryLock } from "@/lib/db/migrate";
import { createPrisma } from "@/lib/db/client";
import { ensureFirstRun } from "@/lib/system/first-run";
import { setting } from "@/lib/config/settings";
import { dataDir, openDatabase } from "./database";

const FIRST_RUN_LOCK = 72707370;
const port = setting("PORT");
const host = setting("HOST") ?? "0.0.0.0";
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

async function authSecret(): Promise<string> {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataDir(), "auth-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  await mkdir(dataDir(), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  await writeFile(file, secret + "\n", { mode: 0o600 });
  return secret;
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env });
}

function adminBlock(admin: { email: string; password: string; generated: boolean }, port: number): string {
  return [
    "",
    "  First admin account",
    `    sign in:  http://localhost:${port}/login`,
    `    email:    ${admin.email}`,
    admin.generated
      ? `    password: ${admin.password}   (shown once; you choose your own at the first sign-in)`
      : "    password: the value of FED_ADMIN_PASSWORD",
    "",
  ].join("\n");
}

/** Waits until the app answers its health check (at most 5 minutes). */
async function whenHealthy(port: number): Promise<boolean> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main() {
  const { url, embedded } = await openDatabase();
  console.log(
    embedded
      ? `Embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${path.join(dataDir(), "pgdata")}`
      : "Using the PostgreSQL at DATABASE_URL",
  );

  let child: ChildProcess | null = null;
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down…`);
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await embedded?.stop();
    console.log("Stopped cleanly.");
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const { applied } = await migrate(url, { log: (line) => console.log(`  ${line}`) });
  if (applied.length) console.log(`Applied ${applied.length} migration(s).`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    NEXTAUTH_SECRET: await authSecret(),
    AUTH_TRUST_HOST: process.env.AUTH_TRUST_HOST ?? "true",
    NODE_ENV: "production",
  };
  process.env.DATABASE_URL = url;

  const prisma = createPrisma(url, 2);
  // Two instances starting on an empty database at once seed it once.
  const first = await withAdvisoryLock(url, FIRST_RUN_LOCK, () => ensureFirstRun(prisma));
  await prisma.$disconnect();
  if (first.agentsCreated.length) console.log(`Created the seed's agents: ${first.agentsCreated.join(", ")}`);
  // Printed now and again as the very last lines once the app answers: a first build prints ~100 lines after this.
  const credentials = first.admin && adminBlock(first.admin, port);
  if (credentials) console.log(credentials);

  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.log("No production build yet: running `next build` (once)…");
    const code = await new Promise<number | null>((resolve) => run(["build"], env).once("exit", resolve));
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  }

  if (stopping) return;
  // FED_SERVER_NODE_ARGS: extra Node flags for the server process (e.g. `--cpu-prof` when profiling a bench).
  const nodeArgs = (setting("FED_SERVER_NODE_ARGS") ?? "").split(" ").filter(Boolean);
  child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", path.join(process.cwd(), "scripts", "server.ts")], {
    stdio: "inherit",
    env: { ...env, PORT: String(port), HOST: host },
  });
  console.log(`Federation is starting at http://localhost:${port}`);
  if (credentials)
    void whenHealthy(port).then((ok) => {
      if (ok && !stopping) console.log(`\nFederation is ready.${credentials}`);
    });
  child.once("exit", async (code) => {
    if (stopping) return;
    console.error(`The app server exited with code ${code}.`);
    await embedded?.stop();
    process.exit(code ?? 1);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
