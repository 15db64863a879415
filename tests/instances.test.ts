// Several instances on one database: the session secret must be shared, the API rate limit holds across
// instances, and a change made through one instance streams to clients of another within a second.
import { spawn } from "node:child_process";
import { afterAll, afterEach, describe, expect, test, vi } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as me from "@/app/api/v1/me/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import { createPrisma } from "@/lib/db/client";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { onRealPostgres } from "./helpers/database";
import {
  checkSharedSecret,
  liveInstances,
  registerInstance,
  SecretMismatch,
  type Registration,
} from "@/lib/system/instance";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { spawnInstance, type SecondInstance } from "./helpers/spawn-instance";

const fed = seededFederation();
let second: SecondInstance | undefined;
let registration: Registration | undefined;
afterEach(async () => {
  second?.stop();
  second = undefined;
  await registration?.stop();
  registration = undefined;
});
afterAll(() => second?.stop());

describe("the session secret", () => {
  test("the first instance records it; another secret is refused with a clear message, the same one is not", async () => {
    await fed.db.prisma.systemSetting.deleteMany({ where: { key: "auth_secret_check" } });
    // Instances starting at once all record it without tripping over each other.
    await Promise.all(
      Array.from({ length: 8 }, () => checkSharedSecret(fed.db.prisma, "secret-of-the-first-instance-0123456789")),
    );
    await checkSharedSecret(fed.db.prisma, "secret-of-the-first-instance-0123456789");
    const refused = await checkSharedSecret(fed.db.prisma, "a-different-secret-0123456789abcdef").catch((e) => e);
    expect(refused).toBeInstanceOf(SecretMismatch);
    expect(refused.message).toMatch(/different NEXTAUTH_SECRET/);
    // The database keeps a check value, never the secret.
    const stored = await fed.db.prisma.systemSetting.findUniqueOrThrow({ where: { key: "auth_secret_check" } });
    expect(stored.value).not.toContain("secret-of-the-first-instance");
  });

  test("a server instance started with a different NEXTAUTH_SECRET exits at once and says why", async () => {
    await fed.db.prisma.systemSetting.deleteMany({ where: { key: "auth_secret_check" } });
    await checkSharedSecret(fed.db.prisma, "secret-of-the-running-instances-0123456789");
    // Asynchronously: on the embedded test database the server runs in this process and must keep serving.
    const start = (secret: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            "-e",
            'import("./lib/system/startup.ts").then((m) => m.startInstance()).then(() => process.exit(0))',
          ],
          {
            env: { ...process.env, DATABASE_URL: fed.db.url, NEXTAUTH_SECRET: secret, FED_DISABLE_SWEEPS: "1" },
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        let stderr = "";
        child.stderr!.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        child.once("exit", (status) => {
          clearTimeout(timer);
          resolve({ status, stderr });
        });
      });
    const refused = await start("another-secret-entirely-0123456789abcdef");
    expect(refused.status, refused.stderr).toBe(78);
    expect(refused.stderr).toMatch(/Federation cannot start: .*different NEXTAUTH_SECRET/);
    const accepted = await start("secret-of-the-running-instances-0123456789");
    expect(accepted.status, accepted.stderr).toBe(0);
  });
});

describe("sweeps on every instance at once", () => {
  test.runIf(onRealPostgres)(
    "two lease sweeps at once (two instances' connections) take each expired lease back exactly once (concurrency: meaningful on PostgreSQL, where CI runs it)",
    async () => {
      const kimi = await fed.token("kimi");
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const t = await call(tasks.POST, "POST", {
          token: ADMIN_TOKEN,
          body: { title: `Sweep me ${i}`, type: "sweep-twice", assignee: "kimi" },
        });
        ids.push(t.body.id);
        expect((await call(claim.POST, "POST", { token: kimi, body: { types: ["sweep-twice"] } })).status).toBe(200);
      }
      await fed.db.prisma
        .$executeRaw`UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ANY(${ids})`;
      const other = createPrisma(fed.db.url, 4);
      try {
        // Small batches, so the two sweeps interleave over many statements.
        const [a, b] = await Promise.all([reapExpiredLeases(fed.db.prisma, 7), reapExpiredLeases(other, 7)]);
        const both = [...a.requeued, ...b.requeued].sort();
        expect(both).toEqual([...ids].sort()); // every lease taken back, none twice
        const events = await fed.db.prisma.auditEvent.groupBy({
          by: ["subject"],
          where: { action: "task.lease_expired", subject: { in: ids.map((id) => `task:${id}`) } },
          _count: true,
        });
        expect(events.length).toBe(ids.length);
        expect(events.every((e) => e._count === 1)).toBe(true);
        expect(await fed.db.prisma.task.count({ where: { id: { in: ids }, state: "pending", attempts: 1 } })).toBe(60);
      } finally {
        await other.$disconnect();
      }
    },
  );
});

describe("two instances", () => {
  const RATE_PER_MINUTE = 600; // 10 a second
  const BURST = 10;

  test("the API rate limit holds across two instances: within 10% of the configured rate", async () => {
    const env = {
      FED_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE),
      FED_RATE_LIMIT_BURST: String(BURST),
      FED_INSTANCE_HEARTBEAT_MS: "200",
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      // Instances other tests started and killed would count as live for a few seconds.
      await fed.db.prisma.instance.deleteMany();
      registration = await registerInstance(fed.db.prisma, 200);
      second = await spawnInstance({ ...env, DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN });
      const until = Date.now() + 5_000;
      while (liveInstances() < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(liveInstances()).toBe(2);
      await new Promise((r) => setTimeout(r, 500)); // the second instance has seen us too
      // One caller, spread over both instances as a round-robin balancer would, as fast as it can for 6 s.
      const seconds = 6;
      const end = Date.now() + seconds * 1000;
      let allowed = 0;
      let limited = 0;
      for (let i = 0; Date.now() < end; i++) {
        const status =
          i % 2 === 0
            ? (await call(me.GET, "GET", { token: ADMIN_TOKEN })).status
            : (await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status;
        if (status === 200) allowed++;
        else if (status === 429) limited++;
        else throw new Error(`unexpected ${status}`);
      }
      const expected = BURST + (RATE_PER_MINUTE / 60) * seconds;
      expect(limited).toBeGreaterThan(0);
      expect(Math.abs(allowed - expected) / expected).toBeLessThanOrEqual(0.1);
    } finally {
      process.env = saved;
    }
  });

  test("pinned to one instance or spread over all, on 1, 2 and 3 instances, a caller gets its configured rate within 10%", async () => {
    const env = {
      FED_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE),
      FED_RATE_LIMIT_BURST: String(BURST),
      FED_INSTANCE_HEARTBEAT_MS: "200",
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const others: SecondInstance[] = [];
    try {
      await fed.db.prisma.instance.deleteMany();
      registration = await registerInstance(fed.db.prisma, 200);
      const results: string[] = [];
      for (const n of [1, 2, 3]) {
        while (others.length < n - 1)
          others.push(await spawnInstance({ ...env, DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN }));
        const until = Date.now() + 10_000;
        while (liveInstances() !== n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        expect(liveInstances()).toBe(n);
        await new Promise((r) => setTimeout(r, 500)); // every instance has seen every other
        const here = () => call(me.GET, "GET", { token: ADMIN_TOKEN }).then((r) => r.status);
        const there = (i: number) => () =>
          fetch(`${others[i]!.url}/api/v1/me`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }).then(
            (r) => r.status,
          );
        const targets = [here, ...others.map((_, i) => there(i))];
        // One caller as fast as it can: a second and a half to use up its burst and let the instances learn where it
        // calls, then its steady rate counted over 5 s.
        for (const pattern of n === 1 ? ["pinned"] : ["pinned", "spread"]) {
          const pick = pattern === "pinned" ? () => targets[n - 1]! : (i: number) => targets[i % n]!;
          const run = async (ms: number) => {
            let allowed = 0;
            const end = Date.now() + ms;
            for (let i = 0; Date.now() < end; i++) {
              const status = await pick(i)();
              if (status === 200) allowed++;
              else if (status !== 429) throw new Error(`unexpected ${status}`);
            }
            return allowed;
          };
          await run(1_500);
          const seconds = 5;
          const allowed = await run(seconds * 1000);
          const expected = (RATE_PER_MINUTE / 60) * seconds;
          results.push(`${n} instance(s), ${pattern}: ${allowed} of ${expected}`);
          expect(Math.abs(allowed - expected) / expected, results.join("; ")).toBeLessThanOrEqual(0.1);
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
      console.log(`rate limit across instances — ${results.join("; ")}`);
    } finally {
      for (const o of others) o.stop();
      process.env = saved;
    }
  });

  test("an SSE client on instance B receives the event for a task created through instance A within 1 s", async () => {
    second = await spawnInstance({ DATABASE_URL: fed.db.url, FED_ADMIN_TOKEN: ADMIN_TOKEN });
    const controller = new AbortController();
    const res = await fetch(`${second.url}/api/v1/events`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    await reader.read(); // ": connected"
    let text = "";
    const created = await call(tasks.POST, "POST", {
      token: ADMIN_TOKEN,
      body: { title: "Made on instance A", type: "cross-instance", assignee: "claude" },
    });
    const at = Date.now();
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    while (!text.includes(`"id":"${id}"`) && Date.now() - at < 3_000) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ value?: undefined }>((r) => setTimeout(() => r({}), 3_000)),
      ]);
      if (chunk.value) text += new TextDecoder().decode(chunk.value);
    }
    const took = Date.now() - at;
    controller.abort();
    expect(text).toMatch(new RegExp(`data: \\{"type":"task.created","id":"${id}"`));
    expect(took).toBeLessThan(1_000);
  });
});

test.runIf(onRealPostgres)(
  "an instance whose clock runs minutes ahead forgets no live instance, itself included (liveness by the database's clock)",
  async () => {
    await fed.db.prisma.instance.deleteMany();
    const ahead = new Date(Date.now() + 5 * 60_000);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(ahead);
    try {
      registration = await registerInstance(fed.db.prisma, 60_000);
    } finally {
      vi.useRealTimers();
    }
    expect(await fed.db.prisma.instance.count({ where: { id: registration.id } })).toBe(1);
    expect(liveInstances()).toBe(1);
  },
);
