// A PostgreSQL server of a test's own (initdb in a temporary folder, on a free port), so a chaos test can restart
// or stop it without disturbing the other tests on the shared server. Debian's PostgreSQL binaries; as root the
// server runs as the `postgres` user, as PostgreSQL requires.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

const binDir = (() => {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.length ? path.join(root, versions[0]!, "bin") : null;
})();

export const privatePostgresAvailable = binDir !== null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export class PrivatePostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** The URL of another database on this server. */
  urlOf(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Runs one of the server's client programs (pg_dump, pg_restore) against it; throws with its output on failure. */
  tool(cmd: "pg_dump" | "pg_restore", args: string[]): void {
    const result = spawnSync(
      path.join(binDir!, cmd),
      ["-h", "127.0.0.1", "-p", String(this.port), "-U", "postgres", ...args],
      {
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  }

  private static run(cmd: string, args: string[]): void {
    const asRoot = userInfo().uid === 0;
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(binDir!, cmd), ...args]]
      : [path.join(binDir!, cmd), args];
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  }

  static async start(): Promise<PrivatePostgres> {
    if (!binDir) throw new Error("No PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql).");
    const dir = mkdtempSync(path.join(tmpdir(), "fed-pg-"));
    chmodSync(dir, 0o700);
    if (userInfo().uid === 0) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
      chownSync(dir, uid, gid);
    }
    const pg = new PrivatePostgres(dir, await freePort());
    PrivatePostgres.run("initdb", [
      "-D",
      path.join(dir, "data"),
      "-A",
      "trust",
      "-U",
      "postgres",
      "--no-sync",
      "-E",
      "UTF8",
    ]);
    pg.pgctl("start");
    return pg;
  }

  private pgctl(action: "start" | "restart" | "stop", mode = "fast"): void {
    PrivatePostgres.run("pg_ctl", this.ctlArgs(action, mode));
  }

  private ctlArgs(action: string, mode: string): string[] {
    return [
      "-D",
      path.join(this.dir, "data"),
      "-l",
      path.join(this.dir, "server.log"),
      "-w",
      "-m",
      mode,
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=60`,
      action,
    ];
  }

  /**
   * A restart as an operator (or a managed database's failover) does it: every connection is cut, and the server
   * is away for `downMs` before it accepts connections again. Runs in a child process, so the caller's load goes on.
   */
  async restart(downMs = 1_500): Promise<void> {
    const script = [
      `${this.command("pg_ctl", this.ctlArgs("stop", "fast"))}`,
      `sleep ${downMs / 1000}`,
      `${this.command("pg_ctl", this.ctlArgs("start", "fast"))}`,
    ].join(" && ");
    await new Promise<void>((resolve, reject) => {
      const child = spawn("sh", ["-c", script], { stdio: "ignore" });
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`restart exited with ${code}`))));
    });
  }

  private command(cmd: string, args: string[]): string {
    const quoted = [path.join(binDir!, cmd), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    return userInfo().uid === 0 ? `runuser -u postgres -- ${quoted}` : quoted;
  }

  stopServer(): void {
    this.pgctl("stop");
  }

  startServer(): void {
    this.pgctl("start");
  }

  dispose(): void {
    try {
      this.pgctl("stop", "immediate");
    } catch {
      /* already stopped */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
