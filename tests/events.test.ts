// GET /events: committed changes of tasks, escalations, votes and agents as Server-Sent Events, in commit
// order, resumable with Last-Event-ID; people's own records (users) stay out.
import pg from "pg";
import { afterAll, expect, test, vi } from "vitest";
import * as events from "@/app/api/v1/events/route";
import * as tasks from "@/app/api/v1/tasks/route";
import * as users from "@/app/api/v1/users/route";
import * as log from "@/app/api/v1/log/route";
import * as logMd from "@/app/api/v1/log.md/route";
import * as agentTokens from "@/app/api/v1/agents/[name]/tokens/route";
import * as agentToken from "@/app/api/v1/agents/[name]/tokens/[tokenId]/route";
import { SYSTEM } from "@/lib/auth/actor";
import { revokeSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/users/service";
import { changes } from "@/lib/events/bus";
import { call, sessionCookie } from "./helpers/api";
import { reader } from "./helpers/sse";
import { onRealPostgres } from "./helpers/database";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
afterAll(() => changes().stop());

const open = (headers: Record<string, string> = {}) =>
  events.GET(
    new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers } }),
  );

test("a created task arrives as a change event { type, id, at } with an id to resume from; users' changes do not", async () => {
  const res = await open();
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const stream = reader(res);
  await call(users.POST, "POST", { ...admin, body: { email: "sse-person@example.com", name: "Person" } });
  const created = (
    await call(tasks.POST, "POST", { ...admin, body: { title: "Streamed", type: "sse-check", assignee: "kimi" } })
  ).body;

  const e = await stream.until((x) => x.data?.includes(created.id) ?? false);

  expect(e.event).toBe("change");
  expect(JSON.parse(e.data!)).toEqual({ type: "task.created", id: created.id, at: expect.any(String) });
  expect(e.id).toMatch(/^\d+$/);
  expect(stream.seen.some((x) => x.data?.includes("user."))).toBe(false);
  await stream.close();
});

test("Last-Event-ID replays what was missed; an unknown id asks the client to resync", async () => {
  const first = reader(await open());
  const a = (
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Before the drop", type: "sse-resume", assignee: "kimi" },
    })
  ).body;
  const seenA = await first.until((x) => x.data?.includes(a.id) ?? false);
  await first.close();
  const b = (
    await call(tasks.POST, "POST", { ...admin, body: { title: "While away", type: "sse-resume", assignee: "kimi" } })
  ).body;
  const c = (
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Also while away", type: "sse-resume", assignee: "kimi" },
    })
  ).body;

  const resumed = reader(await open({ "last-event-id": seenA.id! }));
  await resumed.until((x) => x.data?.includes(c.id) ?? false);
  const ids = resumed.seen.filter((x) => x.event === "change").map((x) => JSON.parse(x.data!).id);
  expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
  expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(c.id));
  expect(ids).not.toContain(a.id);
  await resumed.close();

  const unknown = reader(await open({ "last-event-id": "999999999999" }));
  await unknown.until((x) => x.event === "resync");
  await unknown.close();
});

test("without credentials the stream is refused", async () => {
  const res = await events.GET(new Request("http://localhost/api/v1/events"));
  expect(res.status).toBe(401);
});

test.runIf(onRealPostgres)(
  "a change whose transaction commits after a later change's still arrives (PostgreSQL: needs two open transactions)",
  async () => {
    const stream = reader(await open());
    const late = new pg.Client({ connectionString: fed.db.url });
    await late.connect();
    try {
      // The late change takes its id first and commits last: a reader that skipped "ids below the last one seen"
      // would lose it for good.
      await late.query("BEGIN");
      await late.query(
        `INSERT INTO audit_events (actor, action, subject) VALUES ('test', 'task.updated', 'task:late-committer')`,
      );
      const early = (
        await call(tasks.POST, "POST", {
          ...admin,
          body: { title: "Committed first", type: "sse-late", assignee: "kimi" },
        })
      ).body;
      await stream.until((x) => x.data?.includes(early.id) ?? false);
      await late.query("COMMIT");
      const e = await stream.until((x) => x.data?.includes("late-committer") ?? false);
      expect(JSON.parse(e.data!)).toMatchObject({ type: "task.updated", id: "late-committer" });
    } finally {
      await late.end();
      await stream.close();
    }
  },
);

test("a stream resumes on another instance's reader: the missed events come from the database, not a buffer", async () => {
  const first = reader(await open());
  const a = (
    await call(tasks.POST, "POST", { ...admin, body: { title: "Seen", type: "sse-anywhere", assignee: "kimi" } })
  ).body;
  const seenA = await first.until((x) => x.data?.includes(a.id) ?? false);
  await first.close();
  // This process's reader starts over, as a fresh instance's would: it remembers nothing of what it has read.
  await changes().stop();
  const b = (
    await call(tasks.POST, "POST", { ...admin, body: { title: "Missed", type: "sse-anywhere", assignee: "kimi" } })
  ).body;
  const resumed = reader(await open({ "last-event-id": seenA.id! }));
  const e = await resumed.until((x) => x.data?.includes(b.id) ?? false);
  expect(JSON.parse(e.data!)).toMatchObject({ type: "task.created", id: b.id });
  expect(resumed.seen.some((x) => x.data?.includes(a.id))).toBe(false);
  await resumed.close();
});

/** Resolves with the milliseconds until the stream ended, or rejects after `ms`. */
async function endsWithin(res: Response, ms: number): Promise<number> {
  const start = Date.now();
  const r = res.body!.getReader();
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms),
  );
  const ended = (async () => {
    for (;;) if ((await r.read()).done) return Date.now() - start;
  })();
  return Promise.race([ended, timeout]);
}

test("a stream ends within seconds of its token being revoked, or its session ending", async () => {
  const issued = await call(agentTokens.POST, "POST", { ...admin, params: { name: "kimi" }, body: { name: "stream" } });
  expect(issued.status).toBe(201);
  const agentStream = await events.GET(
    new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${issued.body.token}` } }),
  );
  expect(agentStream.status).toBe(200);
  const revoked = await call(agentToken.DELETE, "DELETE", {
    ...admin,
    params: { name: "kimi", tokenId: issued.body.id },
  });
  expect(revoked.status).toBeLessThan(300);
  expect(await endsWithin(agentStream, 8_000)).toBeLessThan(8_000);

  const { user } = await createUser(fed.db.prisma, SYSTEM, {
    email: "stream-member@example.com",
    name: "Member",
    role: "member",
    password: "member-password-1",
  });
  const cookie = await sessionCookie(user.id);
  const personStream = await events.GET(new Request("http://localhost/api/v1/events", { headers: { cookie } }));
  expect(personStream.status).toBe(200);
  const session = await fed.db.prisma.userSession.findFirstOrThrow({ where: { userId: user.id } });
  await revokeSession(fed.db.prisma, session.id);
  expect(await endsWithin(personStream, 8_000)).toBeLessThan(8_000);
});

test("an agent and a viewer see no people's events or emails, nor other agents' tokens — in the stream, the log and log.md", async () => {
  const { user: viewer } = await createUser(fed.db.prisma, SYSTEM, {
    email: "watching-viewer@example.com",
    name: "Viewer",
    role: "viewer",
    password: "viewer-password-1",
  });
  const kimi = await fed.token("kimi");
  const asKimi = { token: kimi };
  const asViewer = { cookie: await sessionCookie(viewer.id) };
  const kimiStream = reader(
    await events.GET(new Request("http://localhost/api/v1/events", { headers: { authorization: `Bearer ${kimi}` } })),
  );
  const adminStream = reader(await open());

  await call(users.POST, "POST", { ...admin, body: { email: "secret-person@example.com", name: "Secret Person" } });
  await call(agentTokens.POST, "POST", { ...admin, params: { name: "claude" }, body: { name: "claude-private" } });
  const marker = (
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "After the private events", type: "sse-vis", assignee: "kimi" },
    })
  ).body;

  // The admin's stream carries claude's token event; kimi's does not (and neither carries people's events).
  await adminStream.until((e) => e.data?.includes(marker.id) ?? false);
  await kimiStream.until((e) => e.data?.includes(marker.id) ?? false);
  expect(adminStream.seen.some((e) => e.data?.includes('"agent.token_issued","id":"claude"'))).toBe(true);
  expect(kimiStream.seen.some((e) => e.data?.includes("agent.token_issued") && e.data.includes("claude"))).toBe(false);
  expect(kimiStream.seen.some((e) => e.data?.includes("user."))).toBe(false);
  await Promise.all([kimiStream.close(), adminStream.close()]);

  for (const who of [asKimi, asViewer]) {
    const list = await call(log.GET, "GET", { ...who, query: { limit: "200" } });
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).toContain(marker.id);
    expect(text).not.toContain("secret-person@example.com");
    expect(text).not.toMatch(/"action":"user\./);
    expect(text).not.toContain("claude-private");
    const md = await call(logMd.GET, "GET", { ...who, query: { limit: "200" } });
    expect(md.status).toBe(200);
    expect(md.body).not.toContain("secret-person@example.com");
    expect(md.body).not.toContain("claude-private");
  }
  const adminLog = JSON.stringify((await call(log.GET, "GET", { ...admin, query: { limit: "200" } })).body);
  expect(adminLog).toContain("secret-person@example.com");
});

test.runIf(onRealPostgres)(
  "a resume and the reader's first poll starting together share one connection (one used to leak)",
  async () => {
    const bus = changes();
    await bus.stop();
    const backends = async () =>
      (
        await fed.db.prisma.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND backend_type = 'client backend'`
      )[0]!.n;
    const before = await backends();
    await Promise.all([bus.start(), bus.after(1)]);
    expect((await backends()) - before).toBe(1);
    await bus.stop();
    await expect.poll(backends, { timeout: 5_000 }).toBe(before);
  },
);

test.runIf(onRealPostgres)(
  "a transaction left open does not grow what the reader remembers between reads, and the log names it once a minute (pid, application, age)",
  async () => {
    const bus = changes();
    const warnings: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      warnings.push(args.join(" "));
    });
    const held = new pg.Client({ connectionString: fed.db.url, application_name: "held-by-test" });
    await held.connect();
    try {
      bus.heldWarnAfterMs = 1_000;
      await held.query("BEGIN");
      const { rows } = await held.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, pg_current_xact_id()");
      const stream = reader(await open());
      const ids: string[] = [];
      for (let i = 0; i < 40; i++)
        ids.push(
          (
            await call(tasks.POST, "POST", {
              ...admin,
              body: { title: `Under a held horizon ${i}`, type: "sse-held", assignee: "kimi" },
            })
          ).body.id,
        );
      await stream.until((x) => x.data?.includes(ids[39]!) ?? false);
      // Every one arrived, once; the reader remembers the running transactions only, not the 40 delivered since.
      const seen = stream.seen.filter(
        (e) => ids.some((id) => e.data?.includes(`"${id}"`)) && e.data?.includes("task.created"),
      );
      expect(seen).toHaveLength(40);
      expect(bus.tracked).toBeLessThanOrEqual(3);
      await stream.close();

      const holder = (text: string) =>
        text.includes(`pid ${rows[0]!.pid}`) && text.includes('application "held-by-test"');
      await expect.poll(() => warnings.filter(holder).length, { timeout: 5_000 }).toBe(1);
      expect(warnings.find(holder)).toMatch(/open for \d+ s/);
      await new Promise((r) => setTimeout(r, 500)); // within the next period: not said again
      expect(warnings.filter(holder)).toHaveLength(1);
    } finally {
      bus.heldWarnAfterMs = 60_000;
      warn.mockRestore();
      await held.query("ROLLBACK").catch(() => {});
      await held.end();
    }
  },
);

test.runIf(onRealPostgres)(
  "rows restored from another cluster, with xids ahead of this one's, are history: the stream never sends them as changes",
  async () => {
    await fed.db.prisma.$executeRawUnsafe(
      `INSERT INTO audit_events (actor, action, subject, xid, horizon)
       SELECT 'restore', 'task.created', 'task:restored-from-elsewhere', x, x
       FROM (SELECT ((pg_current_xact_id()::text)::bigint + 1000000)::text::xid8 AS x) f`,
    );
    const stream = reader(await open());
    const fresh = (
      await call(tasks.POST, "POST", {
        ...admin,
        body: { title: "After a restore", type: "sse-restore", assignee: "kimi" },
      })
    ).body.id as string;
    await stream.until((x) => x.data?.includes(fresh) ?? false);
    await new Promise((r) => setTimeout(r, 500)); // several reads
    expect(stream.seen.filter((e) => e.data?.includes("restored-from-elsewhere"))).toEqual([]);
    await stream.close();
  },
);
