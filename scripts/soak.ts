// npm run soak — two production instances behind nginx (round robin) on one PostgreSQL, 64 agents over HTTP working
// through SOAK_TASKS tasks (20 000) with dependencies, auto-scheduled follow-ups and votes; one instance is killed
// with SIGKILL halfway and restarted. Then it checks, from the database and from what the agents saw: no task held
// by two agents at once, none lost, each completion recorded once, every lease recovered, every vote resolved
// once; and prints throughput and p99 latency before, during and after the kill. Exit code 0 only if all hold.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { ensureFirstRun } from "@/lib/system/first-run";
import { benchDatabase, ensureBuild, freePort, percentile } from "../bench/support";

const TASKS = Number(process.env.SOAK_TASKS ?? 20_000);
const AGENTS = Number(process.env.SOAK_AGENTS ?? 64);
const VOTES = Number(process.env.SOAK_VOTES ?? Math.max(20, Math.round(TASKS / 100)));
const LEASE_SECONDS = 30;
const ADMIN = `soak-admin-${randomBytes(16).toString("hex")}`;
const SECRET = randomBytes(32).toString("base64url");
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => spawnSync("test", ["-x", p]).status === 0);

const log = (line: string) => console.log(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------------------------------------- the instances
class Instance {
  child: ChildProcess | null = null;
  constructor(
    readonly name: string,
    readonly port: number,
    readonly databaseUrl: string,
  ) {}
  async start(): Promise<void> {
    // The server process itself (not `npm start`'s supervisor), so SIGKILL kills what serves the requests.
    this.child = spawn(process.execPath, ["--import", "tsx", "scripts/server.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: this.databaseUrl,
        NEXTAUTH_SECRET: SECRET,
        AUTH_TRUST_HOST: "true",
        FED_ADMIN_TOKEN: ADMIN,
        FED_RATE_LIMIT_PER_MINUTE: "0",
        FED_SWEEP_INTERVAL_MS: "1000",
        FED_DB_POOL_SIZE: "12",
        FED_TRUSTED_PROXIES: "127.0.0.1",
        PORT: String(this.port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    for (let i = 0; i < 240; i++) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${this.port}/api/v1/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name} did not start`);
  }
  kill9(): void {
    this.child?.kill("SIGKILL");
  }
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000);
    });
  }
}

function startNginx(port: number, upstreams: number[]): { stop: () => void } {
  if (!NGINX) throw new Error("nginx is not installed: apt-get install -y nginx (Debian's package).");
  const dir = mkdtempSync(path.join(tmpdir(), "fed-soak-nginx-"));
  const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream federation {
    ${upstreams.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n    ")}
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://federation;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_buffering off;
      proxy_read_timeout 120s;
      proxy_next_upstream error timeout;
    }
  }
}`;
  writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-c", path.join(dir, "nginx.conf"), "-p", dir, "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return {
    stop: () => {
      child.kill("SIGQUIT");
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000).unref();
    },
  };
}

// ------------------------------------------------------------------------------------------------- HTTP client
const agent = new Agent({ keepAlive: true, maxSockets: AGENTS * 2 + 16 });
let base = "";

interface Answer {
  status: number;
  body: any;
}

/** One request; a connection error (the instance behind it died) is status 0. */
function http(method: string, p: string, token: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    const req = request(
      `${base}/api/v1${p}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
        },
        timeout: 90_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          let parsed: unknown = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on("error", () => resolve({ status: 0, body: null }));
      },
    );
    req.on("error", () => resolve({ status: 0, body: null }));
    req.on("timeout", () => req.destroy());
    if (payload) req.write(payload);
    req.end();
  });
}

// ------------------------------------------------------------------------------------------------ measurements
interface Sample {
  at: number;
  ms: number;
  ok: boolean;
  /** claim that got a task, claim that waited and got none (a long poll: its time is waiting), complete, other */
  kind: "claim" | "wait" | "complete" | "other";
}
const samples: Sample[] = [];
const completions: number[] = [];
let killAt = Infinity;
let recoveredAt = Infinity;

async function timed(method: string, p: string, token: string, body?: unknown): Promise<Answer> {
  const t0 = performance.now();
  const answer = await http(method, p, token, body);
  const kind =
    p === "/tasks/claim" ? (answer.status === 204 ? "wait" : "claim") : p.endsWith("/complete") ? "complete" : "other";
  samples.push({ at: Date.now(), ms: performance.now() - t0, ok: answer.status > 0 && answer.status < 500, kind });
  return answer;
}

/** What the agents saw: every claim they got, and every completion the server acknowledged. */
const claims: { task: string; agent: string; lease: string }[] = [];
const acknowledged = new Map<string, Set<string>>(); // task → lease tokens whose completion got a 200
let done = false;

async function worker(name: string, token: string): Promise<void> {
  let n = 0;
  while (!done) {
    n++;
    if (n % 8 === 0) {
      const briefing = await timed("GET", `/agents/${name}/briefing`, token);
      for (const vote of briefing.body?.votesAwaitingBallot ?? []) {
        await timed("POST", `/votes/${vote.id}/ballots`, token, {
          option: vote.options[Math.floor(Math.random() * vote.options.length)],
          confidence: Math.round((0.4 + Math.random() * 0.6) * 100) / 100,
        });
      }
    }
    const claimed = await timed("POST", "/tasks/claim", token, { leaseSeconds: LEASE_SECONDS, waitSeconds: 1 });
    if (claimed.status === 204) continue;
    if (claimed.status !== 200) {
      await new Promise((r) => setTimeout(r, 200)); // the instance died under the request, or is restarting
      continue;
    }
    const task = claimed.body as { id: string; leaseToken: string };
    claims.push({ task: task.id, agent: name, lease: task.leaseToken });
    await new Promise((r) => setTimeout(r, Math.random() * 20)); // the work
    if (Math.random() < 0.05)
      await timed("POST", `/tasks/${task.id}/heartbeat`, token, { leaseToken: task.leaseToken });
    const fail = Math.random() < 0.05;
    const body = fail
      ? { success: false, retry: true, summary: "flaky", leaseToken: task.leaseToken }
      : { success: true, summary: `done by ${name}`, durationMinutes: 1, leaseToken: task.leaseToken };
    // A completion whose answer was lost is sent again (the same call answers the same), as a real agent would.
    for (let attempt = 0; attempt < 20; attempt++) {
      const answer = await timed("POST", `/tasks/${task.id}/complete`, token, body);
      if (answer.status === 200) {
        if (!fail) {
          const seen = acknowledged.get(task.id) ?? new Set<string>();
          seen.add(task.leaseToken);
          acknowledged.set(task.id, seen);
          completions.push(Date.now());
        }
        break;
      }
      if (answer.status === 409 || answer.status === 403 || answer.status === 404) break; // the lease was lost
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// ------------------------------------------------------------------------------------------------------ checks
async function check(url: string, baseTasks: string[]): Promise<string[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const problems: string[] = [];
  const q = async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    (await db.query<T>(sql, values)).rows;

  // Nothing lost: every task we created (and every follow-up) reached an end, none is pending or held.
  const states = await q<{ state: string; n: number }>(`SELECT state::text, count(*)::int AS n FROM tasks GROUP BY 1`);
  const byState = Object.fromEntries(states.map((s) => [s.state, s.n]));
  const found = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1)`, [baseTasks]))[0]!.n;
  if (found !== baseTasks.length) problems.push(`lost tasks: ${baseTasks.length - found} of those created are missing`);
  if (byState.pending || byState.in_progress)
    problems.push(`unfinished: ${byState.pending ?? 0} pending, ${byState.in_progress ?? 0} in progress`);

  // Never held by two at once: per task, claims and the ends of claims alternate in the audit log.
  const overlaps = await q<{ subject: string }>(
    `WITH e AS (
       SELECT subject, action, lag(action) OVER (PARTITION BY subject ORDER BY id) AS before
       FROM audit_events
       WHERE subject LIKE 'task:%' AND action IN ('task.claimed', 'task.completed', 'task.failed', 'task.retry_scheduled',
                                                  'task.released', 'task.lease_expired', 'task.cancelled'))
     SELECT DISTINCT subject FROM e WHERE action = 'task.claimed' AND before = 'task.claimed' LIMIT 10`,
  );
  if (overlaps.length) problems.push(`claimed again while held: ${overlaps.map((o) => o.subject).join(", ")}`);
  // …and from the agents' side: no task's completion was acknowledged to two different claims.
  const doubly = [...acknowledged.entries()].filter(([, leases]) => leases.size > 1);
  if (doubly.length)
    problems.push(
      `completions acknowledged to two claims: ${doubly
        .slice(0, 5)
        .map(([t]) => t)
        .join(", ")}`,
    );

  // Each completion recorded exactly once: one task.completed event and one successful outcome per completed task.
  const twice = await q<{ task: string; events: number; outcomes: number }>(
    `SELECT t.id AS task,
       (SELECT count(*)::int FROM audit_events e WHERE e.subject = 'task:' || t.id AND e.action = 'task.completed') AS events,
       (SELECT count(*)::int FROM outcomes o WHERE o.task_id = t.id AND o.success) AS outcomes
     FROM tasks t WHERE t.state = 'completed'
       AND ((SELECT count(*) FROM audit_events e WHERE e.subject = 'task:' || t.id AND e.action = 'task.completed') <> 1
         OR (SELECT count(*) FROM outcomes o WHERE o.task_id = t.id AND o.success) <> 1)
     LIMIT 10`,
  );
  if (twice.length) problems.push(`completions not recorded exactly once: ${JSON.stringify(twice)}`);
  const notAcked = (
    await q<{ id: string }>(`SELECT id FROM tasks WHERE state = 'completed' AND id = ANY($1)`, [
      [...acknowledged.keys()],
    ])
  ).length;
  if (notAcked !== acknowledged.size)
    problems.push(
      `${acknowledged.size - notAcked} completions acknowledged to an agent are not completed in the database`,
    );

  // Every lease recovered: nothing is left held (above); how many had to be taken back after the kill.
  const expired = (
    await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'task.lease_expired'`)
  )[0]!.n;

  // Every vote resolved once: none open, and one resolution event each.
  const votes = await q<{ open: number; total: number; badly: number }>(
    `SELECT count(*) FILTER (WHERE status = 'open')::int AS open, count(*)::int AS total,
       count(*) FILTER (WHERE (SELECT count(*) FROM audit_events e WHERE e.subject = 'vote:' || v.id
                               AND e.action IN ('vote.decided', 'vote.escalated')) <> 1)::int AS badly
     FROM votes v`,
  );
  if (votes[0]!.open) problems.push(`${votes[0]!.open} votes still open`);
  if (votes[0]!.badly) problems.push(`${votes[0]!.badly} votes resolved other than exactly once`);

  log(
    `tasks: ${Object.entries(byState)
      .map(([s, n]) => `${s} ${n}`)
      .join(
        ", ",
      )}; claims seen by agents ${claims.length}; leases recovered after expiry ${expired}; votes ${votes[0]!.total} (open ${votes[0]!.open})`,
  );
  await db.end();
  return problems;
}

function report(startedAt: number, endedAt: number): void {
  const phases: [string, number, number][] = [
    ["before the kill", startedAt, Math.min(killAt, endedAt)],
    ["during (kill → restarted)", killAt, Math.min(recoveredAt, endedAt)],
    ["after", recoveredAt, endedAt],
  ];
  // Latency of the calls that do work: claims that got a task and completions (a claim that found nothing waited
  // up to a second on purpose, a long poll).
  console.log(
    "\n  phase                        seconds  completions/s   requests  errors   claim p50/p99 ms   complete p50/p99 ms",
  );
  for (const [name, from, to] of phases) {
    if (!(to > from)) continue;
    const s = samples.filter((x) => x.at >= from && x.at < to);
    const lat = (kind: Sample["kind"]) => {
      const ms = s
        .filter((x) => x.kind === kind && x.ok)
        .map((x) => x.ms)
        .sort((a, b) => a - b);
      return `${percentile(ms, 50).toFixed(1)}/${percentile(ms, 99).toFixed(1)}`;
    };
    const rate = completions.filter((t) => t >= from && t < to).length / ((to - from) / 1000);
    console.log(
      `  ${name.padEnd(28)} ${((to - from) / 1000).toFixed(1).padStart(7)} ${rate.toFixed(0).padStart(14)} ${String(s.length).padStart(10)} ${String(s.filter((x) => !x.ok).length).padStart(7)} ${lat("claim").padStart(18)} ${lat("complete").padStart(21)}`,
    );
  }
}

// -------------------------------------------------------------------------------------------------------- main
async function main() {
  await ensureBuild();
  const database = await benchDatabase();
  if (database.label.startsWith("embedded"))
    throw new Error("The soak needs PostgreSQL (DATABASE_URL or 127.0.0.1:5432).");
  log(`database: ${database.label}; ${TASKS} tasks, ${AGENTS} agents, ${VOTES} votes`);
  await migrate(database.url);
  const prisma = createPrisma(database.url, 2);
  await ensureFirstRun(prisma, { FED_ADMIN_PASSWORD: randomBytes(12).toString("hex") });
  await prisma.$disconnect();

  const [portA, portB, portLb] = [await freePort(), await freePort(), await freePort()];
  const a = new Instance("instance A", portA, database.url);
  const b = new Instance("instance B", portB, database.url);
  await Promise.all([a.start(), b.start()]);
  const lb = startNginx(portLb, [portA, portB]);
  base = `http://127.0.0.1:${portLb}`;
  for (let i = 0; i < 40 && (await http("GET", "/health", ADMIN)).status !== 200; i++)
    await new Promise((r) => setTimeout(r, 250));
  log(`instances on ${portA} and ${portB}, nginx round robin on ${portLb}`);

  let ok = false;
  try {
    // Agents, tokens, a follow-up rule, auto-scheduling on.
    const names = Array.from({ length: AGENTS }, (_, i) => `soak-${String(i + 1).padStart(2, "0")}`);
    const tokens = new Map<string, string>();
    for (const name of names) {
      await http("POST", "/agents", ADMIN, { name, status: "active" });
      tokens.set(name, (await http("POST", `/agents/${name}/tokens`, ADMIN)).body.token);
    }
    // Only the soak's rule runs: the seed's rules would hand work to agents that are not in the soak.
    for (const r of (await http("GET", "/rules", ADMIN)).body.items)
      await http("PATCH", `/rules/${r.id}`, ADMIN, { enabled: false });
    const rule = await http("POST", "/rules", ADMIN, {
      name: "Soak design → testing",
      when: { type: "design", success: true },
      then: [{ type: "testing", assignee: "{{agent}}", titleTemplate: "Test: {{title}}", dependsOnSource: true }],
    });
    if (rule.status !== 201) throw new Error(`could not create the rule: ${JSON.stringify(rule.body)}`);
    await http("PATCH", "/federation/state", ADMIN, { autoScheduling: true });

    // The work: one in five is a design task (each spawns a testing follow-up), one in ten waits for an earlier one.
    const created: string[] = [];
    const t0 = performance.now();
    const creators = 16;
    await Promise.all(
      Array.from({ length: creators }, async (_, c) => {
        for (let i = c; i < TASKS; i += creators) {
          const dependsOn = i % 10 === 5 && created[i - 50] ? [created[i - 50]!] : undefined;
          const res = await http("POST", "/tasks", ADMIN, {
            title: `Soak task ${i}`,
            type: i % 5 === 0 ? "design" : "testing",
            assignee: names[i % AGENTS],
            maxAttempts: 5,
            ...(dependsOn ? { dependsOn } : {}),
          });
          if (res.status !== 201) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
          created[i] = res.body.id;
        }
      }),
    );
    for (let v = 0; v < VOTES; v++) {
      const voters = [names[v % AGENTS]!, names[(v + 7) % AGENTS]!, names[(v + 19) % AGENTS]!];
      const res = await http("POST", "/votes", ADMIN, { question: `Soak vote ${v}?`, options: ["yes", "no"], voters });
      if (res.status !== 201) throw new Error(`vote answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    log(`created ${created.length} tasks and ${VOTES} votes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Go: 64 agents; kill -9 instance A when half the tasks are done, restart it.
    const startedAt = Date.now();
    const workers = names.map((name) => worker(name, tokens.get(name)!));
    const killer = (async () => {
      while (completions.length < TASKS / 2 && !done) await new Promise((r) => setTimeout(r, 50));
      if (done) return;
      killAt = Date.now();
      a.kill9();
      log(`kill -9 instance A after ${completions.length} completions`);
      await new Promise((r) => setTimeout(r, 2_000));
      await a.start();
      recoveredAt = Date.now();
      log(`instance A restarted in ${((recoveredAt - killAt) / 1000).toFixed(1)} s`);
    })();
    const deadline = Date.now() + Number(process.env.SOAK_TIMEOUT_S ?? 1800) * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const counts = await http("GET", "/tasks/counts", ADMIN);
      const openVotes = await http("GET", "/votes?status=open&limit=1", ADMIN);
      const left = (counts.body?.pending ?? 1) + (counts.body?.in_progress ?? 1);
      if (counts.status === 200 && left === 0 && openVotes.body?.items?.length === 0 && killAt < Infinity) break;
      if (Date.now() > deadline) {
        log(`timed out with ${left} tasks left`);
        break;
      }
    }
    done = true;
    const endedAt = Date.now();
    await Promise.all([...workers, killer]);
    log(`finished in ${((endedAt - startedAt) / 1000).toFixed(1)} s`);
    report(startedAt, endedAt);
    const problems = await check(database.url, created);
    if (problems.length) {
      console.log("\nFAILED:");
      for (const p of problems) console.log(`  - ${p}`);
    } else {
      console.log(
        "\nPASSED: no task held by two agents at once, none lost, each completion recorded once, every lease recovered, every vote resolved once.",
      );
      ok = true;
    }
  } finally {
    done = true;
    lb.stop();
    await Promise.all([a.stop(), b.stop()]);
    agent.destroy();
    await database.drop().catch(() => {});
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
