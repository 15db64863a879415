// A second app server a spec can stop and start (the connection banner, two instances): `npm start`'s script on
// its own port. On the embedded database it has its own data folder; with E2E_DATABASE_URL it shares that database.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { E2E_ADMIN, E2E_ADMIN_TOKEN, E2E_SECRET } from "./env";

export class AppServer {
  private child: ChildProcess | null = null;
  private log = "";
  readonly dataDir = mkdtempSync(path.join(tmpdir(), "fed-e2e-extra-"));
  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: "127.0.0.1",
        FED_ADMIN_PASSWORD: E2E_ADMIN.password,
        FED_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        NEXTAUTH_SECRET: E2E_SECRET,
        FED_POLL_MS: "30000",
        FED_DATA_DIR: this.dataDir,
        DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
        ...this.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d) => (this.log += d));
    this.child.stderr!.on("data", (d) => (this.log += d));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the server exited:\n${this.log.slice(-2000)}`);
      try {
        if ((await fetch(`${this.url}/api/v1/health`)).ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the server did not start in 120 s:\n${this.log.slice(-2000)}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
