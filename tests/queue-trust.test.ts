// A queue agents can trust: each claim is fenced by its own lease token, a retried attempt is a new attempt,
// the sweep reaps any backlog, the briefing shows an agent its work, and racing decisions apply once.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as deps from "@/app/api/v1/tasks/[id]/dependencies/route";
import * as briefingRoute from "@/app/api/v1/agents/[name]/briefing/route";
import * as agentOne from "@/app/api/v1/agents/[name]/route";
import * as agentList from "@/app/api/v1/agents/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as decide from "@/app/api/v1/escalations/[id]/decide/route";
import * as userOne from "@/app/api/v1/users/[id]/route";
import { SYSTEM, type Actor } from "@/lib/auth/actor";
import { claimableAssignees } from "@/lib/queue/eligible";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { resetPassword } from "@/lib/users/passwords";
import { createUser, updateUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
let n = 0;
const create = async (body: Record<string, unknown>) => {
  const res = await call(tasks.POST, "POST", { ...admin, body: { title: `Trust task ${++n}`, ...body } });
  expect(res.status).toBe(201);
  return res.body;
};
const claimAs = async (token: string, types: string[]) => {
  const res = await call(claim.POST, "POST", { token, body: { types } });
  expect(res.status).toBe(200);
  return res.body as { id: string; leaseToken: string; leaseExpiresAt: string };
};
const expire = (id: string) =>
  fed.db.prisma.$executeRaw`UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ${id}`;
const row = (id: string) => fed.db.prisma.task.findUniqueOrThrow({ where: { id } });

describe("attempt fencing", () => {
  test("each claim returns its own unguessable lease token", async () => {
    const token = await fed.token("kimi");
    const a = await create({ type: "fence-new", assignee: "kimi" });
    const b = await create({ type: "fence-new", assignee: "kimi" });
    const first = await claimAs(token, ["fence-new"]);
    const second = await claimAs(token, ["fence-new"]);
    expect([first.id, second.id].sort()).toEqual([a.id, b.id].sort());
    expect(first.leaseToken).toMatch(/^lease_[A-Za-z0-9_-]{32}$/);
    expect(second.leaseToken).not.toBe(first.leaseToken);
    // Nothing but the claim reveals it.
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: a.id } })).body.leaseToken).toBeUndefined();
  });

  test("a stale worker of the same agent: its heartbeat, release and complete are 409 and the holder's lease and result stand", async () => {
    const token = await fed.token("kimi");
    const t = await create({ type: "fence-stale", assignee: "kimi" });
    const stale = await claimAs(token, ["fence-stale"]);
    await expire(t.id);
    // A second worker with the same identity (even the same bearer token) claims it again.
    const holder = await claimAs(token, ["fence-stale"]);
    expect(holder.id).toBe(t.id);
    const before = await row(t.id);

    const attempts = [
      await call(heartbeat.POST, "POST", {
        token,
        lease: stale.leaseToken,
        params: { id: t.id },
        body: { leaseSeconds: 30 },
      }),
      await call(release.POST, "POST", { token, params: { id: t.id }, body: { leaseToken: stale.leaseToken } }),
      await call(complete.POST, "POST", {
        token,
        lease: stale.leaseToken,
        params: { id: t.id },
        body: { success: false, summary: "stale result" },
      }),
      // and without any token at all: no way to tell it from the holder, so refused too
      await call(heartbeat.POST, "POST", { token, params: { id: t.id }, body: {} }),
      await call(complete.POST, "POST", { token, params: { id: t.id }, body: { success: true } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(attempts[0]!.body.detail).toMatch(/not the current one/);
    expect(attempts[3]!.body.detail).toMatch(/Present the lease token/);
    expect(await row(t.id)).toMatchObject({
      state: "in_progress",
      claimedBy: "kimi",
      leaseExpiresAt: before.leaseExpiresAt,
      outcome: null,
    });
    // The expired claim charged its holder once (a crash is a failure); the stale calls added nothing.
    expect(
      await fed.db.prisma.outcome.findMany({ where: { taskId: t.id }, select: { success: true, reason: true } }),
    ).toEqual([{ success: false, reason: "lease expired" }]);

    const done = await call(complete.POST, "POST", {
      token,
      lease: holder.leaseToken,
      params: { id: t.id },
      body: { success: true, summary: "real result" },
    });
    expect(done.status).toBe(200);
    expect(done.body.task.outcome).toMatchObject({ success: true, summary: "real result" });
    // The stale worker's late completion still cannot overwrite it.
    const late = await call(complete.POST, "POST", {
      token,
      lease: stale.leaseToken,
      params: { id: t.id },
      body: { success: false },
    });
    expect(late.status).toBe(409);
    expect((await row(t.id)).outcome).toMatchObject({ summary: "real result" });
  });

  test("the token may come in the body or the header, but not two different ones", async () => {
    const token = await fed.token("kimi");
    const t = await create({ type: "fence-both", assignee: "kimi" });
    const c = await claimAs(token, ["fence-both"]);
    const both = await call(heartbeat.POST, "POST", {
      token,
      lease: c.leaseToken,
      params: { id: t.id },
      body: { leaseToken: "lease_other" },
    });
    expect(both.status).toBe(400);
    expect(
      (await call(heartbeat.POST, "POST", { token, params: { id: t.id }, body: { leaseToken: c.leaseToken } })).status,
    ).toBe(200);
  });
});

describe("retries", () => {
  test("fail-with-retry twice with identical bodies records two attempts, and the second one takes effect", async () => {
    const token = await fed.token("kimi");
    const t = await create({ type: "retry-twice", assignee: "kimi", maxAttempts: 2 });
    const body = { success: false, retry: true, summary: "flaky upstream" };

    const first = await claimAs(token, ["retry-twice"]);
    const once = await call(complete.POST, "POST", { token, lease: first.leaseToken, params: { id: t.id }, body });
    expect(once.body.task).toMatchObject({ state: "pending", attempts: 1 });
    // The very same call repeated is a replay: same answer, nothing more.
    const replay = await call(complete.POST, "POST", { token, lease: first.leaseToken, params: { id: t.id }, body });
    expect(replay.status).toBe(200);
    expect((await row(t.id)).attempts).toBe(1);

    const second = await claimAs(token, ["retry-twice"]);
    const twice = await call(complete.POST, "POST", { token, lease: second.leaseToken, params: { id: t.id }, body });

    expect(twice.status).toBe(200);
    expect(twice.body.task).toMatchObject({ state: "failed", attempts: 2 });
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id, success: false } })).toBe(2);
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    expect(open.body.items.filter((e: { subjectId: string }) => e.subjectId === t.id)).toHaveLength(1);
  });
});

describe("the lease sweep", () => {
  test("10,000 expired leases are reaped in bounded batches within 60 s, a tenth of them failing with an escalation each", async () => {
    await call(agentList.POST, "POST", { ...admin, body: { name: "sweeper" } });
    await fed.db.prisma.$executeRaw`
      INSERT INTO tasks (id, title, type, assignee, created_by, state, attempts, max_attempts, claimed_by, claimed_at, lease_expires_at, lease_token, updated_at)
      SELECT 'task-20200101-000000-' || lpad(g::text, 5, '0'), 'Sweep ' || g, 'sweep', 'sweeper', 'test', 'in_progress',
        CASE WHEN g % 10 = 0 THEN 2 ELSE 0 END, 3, 'sweeper', now() - interval '1 hour', now() - interval '1 minute', 'lease_' || g, now()
      FROM generate_series(1, 10000) g`;
    const started = Date.now();

    const reaped = await reapExpiredLeases(fed.db.prisma);

    const seconds = (Date.now() - started) / 1000;
    expect(reaped.requeued).toHaveLength(9000);
    expect(reaped.failed).toHaveLength(1000);
    expect(seconds).toBeLessThan(60);
    const states = await fed.db.prisma.task.groupBy({
      by: ["state"],
      where: { type: "sweep" },
      _count: { _all: true },
    });
    expect(Object.fromEntries(states.map((s) => [s.state, s._count._all]))).toEqual({ pending: 9000, failed: 1000 });
    expect(
      await fed.db.prisma.escalation.count({
        where: { subjectId: { startsWith: "task-20200101-000000-" }, kind: "task", state: "open" },
      }),
    ).toBe(1000);
    const ids = await fed.db.prisma.escalation.findMany({
      where: { subjectId: { startsWith: "task-20200101-000000-" } },
      select: { id: true },
    });
    expect(new Set(ids.map((e) => e.id)).size).toBe(1000);
    expect(ids.every((e) => /^esc-\d{8}-\d{6}-\d{4,}$/.test(e.id))).toBe(true);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { action: "task.lease_expired", subject: { startsWith: "task:task-20200101-000000-" } },
      }),
    ).toBe(10_000);
    expect((await reapExpiredLeases(fed.db.prisma)).requeued).toEqual([]);
  });
});

describe("briefing", () => {
  test("lists the agent's tasks in progress and what it may claim, including a rate-limited agent's tasks that fall to it", async () => {
    const opus = await fed.token("copilot-opus");
    const own = await create({ type: "brief", assignee: "copilot-opus", priority: "low" });
    const claudes = await create({ type: "brief", assignee: "claude", priority: "high" });
    const blockedBy = await create({ type: "brief-dep", assignee: "kimi" });
    await create({ type: "brief", assignee: "copilot-opus", dependsOn: [blockedBy.id] });
    const held = await create({ type: "brief-held", assignee: "copilot-opus" });
    await claimAs(opus, ["brief-held"]);

    const beforeLimit = await call(briefingRoute.GET, "GET", { token: opus, params: { name: "copilot-opus" } });
    expect(beforeLimit.body.tasks.pending.map((t: { id: string }) => t.id)).toEqual([own.id]);

    expect(
      (await call(agentOne.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "rate_limited" } }))
        .status,
    ).toBe(200);
    try {
      const res = await call(briefingRoute.GET, "GET", { token: opus, params: { name: "copilot-opus" } });
      expect(res.status).toBe(200);
      expect(res.body.tasks.inProgress.map((t: { id: string }) => t.id)).toEqual([held.id]);
      // claim order: claude's high-priority task first, then its own; the blocked one is not claimable
      expect(res.body.tasks.pending.map((t: { id: string }) => t.id)).toEqual([claudes.id, own.id]);
      expect(await claimableAssignees(fed.db.prisma, "copilot-opus")).toEqual(["copilot-opus", "claude"]);
    } finally {
      await call(agentOne.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "active" } });
    }
  });
});

describe("the fallback rule, as SQL", () => {
  test.each([
    ["an active agent keeps its own work", { "fb-a": "active", "fb-b": "active", "fb-c": "active" }, "fb-b", ["fb-b"]],
    [
      "a rate-limited agent's work goes to its fallback",
      { "fb-a": "rate_limited", "fb-b": "active", "fb-c": "active" },
      "fb-b",
      ["fb-a", "fb-b"],
    ],
    [
      "standby and offline count as away",
      { "fb-a": "standby", "fb-b": "active", "fb-c": "active" },
      "fb-b",
      ["fb-a", "fb-b"],
    ],
    [
      "the chain passes through agents that are away (two hops)",
      { "fb-a": "offline", "fb-b": "standby", "fb-c": "active" },
      "fb-c",
      ["fb-a", "fb-b", "fb-c"],
    ],
    [
      "an active agent on the way stops the chain",
      { "fb-a": "offline", "fb-b": "active", "fb-c": "active" },
      "fb-c",
      ["fb-c"],
    ],
    [
      "agents outside the chain get nothing",
      { "fb-a": "offline", "fb-b": "active", "fb-c": "active" },
      "kimi",
      ["kimi"],
    ],
  ])("%s", async (_, statuses, caller, expected) => {
    for (const name of ["fb-c", "fb-b", "fb-a"]) {
      await call(agentList.POST, "POST", { ...admin, body: { name } });
    }
    await call(agentOne.PATCH, "PATCH", { ...admin, params: { name: "fb-b" }, body: { fallback: "fb-c" } });
    await call(agentOne.PATCH, "PATCH", { ...admin, params: { name: "fb-a" }, body: { fallback: "fb-b" } });
    for (const [name, status] of Object.entries(statuses))
      await call(agentOne.PATCH, "PATCH", { ...admin, params: { name }, body: { status } });
    expect((await claimableAssignees(fed.db.prisma, caller)).sort()).toEqual([...expected].sort());
  });
});

describe("races (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", () => {
  test("two concurrent demotions of the last two admins leave one admin", async () => {
    const a = await createUser(fed.db.prisma, SYSTEM, {
      email: "boss-a@example.com",
      name: "A",
      role: "admin",
      password: "boss-a-password",
    });
    const b = await createUser(fed.db.prisma, SYSTEM, {
      email: "boss-b@example.com",
      name: "B",
      role: "admin",
      password: "boss-b-password",
    });
    // Only these two are admins (the first-run admin is demoted by the token first).
    const first = await fed.db.prisma.user.findFirstOrThrow({ where: { email: "admin@federation.local" } });
    expect(
      (await call(userOne.PATCH, "PATCH", { ...admin, params: { id: first.id }, body: { role: "member" } })).status,
    ).toBe(200);
    const cookieA = await sessionCookie(a.user.id);
    const cookieB = await sessionCookie(b.user.id);

    const results = await Promise.all([
      call(userOne.PATCH, "PATCH", { cookie: cookieA, params: { id: b.user.id }, body: { role: "member" } }),
      call(userOne.PATCH, "PATCH", { cookie: cookieB, params: { id: a.user.id }, body: { role: "member" } }),
    ]);

    // The loser is no longer an admin when its turn comes, whichever way the two interleave: 403, not a 422 about
    // the last admin (which it got when both had passed the session check before either changed anything).
    expect(results.map((r) => r.status).sort()).toEqual([200, 403]);
    expect(await fed.db.prisma.user.count({ where: { role: "admin", disabled: false } })).toBe(1);
    await fed.db.prisma.user.update({ where: { id: first.id }, data: { role: "admin" } });
  });

  test("an admin demoted while their request was on its way can no longer change people (the session's role is checked again under the lock)", async () => {
    const b = await createUser(fed.db.prisma, SYSTEM, {
      email: "stale-b@example.com",
      name: "B",
      role: "admin",
      password: "stale-b-password",
    });
    const c = await createUser(fed.db.prisma, SYSTEM, {
      email: "stale-c@example.com",
      name: "C",
      role: "admin",
      password: "stale-c-password",
    });
    // B's request was authenticated (as an admin) just before another admin demoted B.
    const staleB: Actor = { kind: "user", role: "admin", userId: b.user.id, label: b.user.email };
    expect(
      (await call(userOne.PATCH, "PATCH", { ...admin, params: { id: b.user.id }, body: { role: "member" } })).status,
    ).toBe(200);

    await expect(updateUser(fed.db.prisma, staleB, c.user.id, { role: "member" })).rejects.toMatchObject({
      status: 403,
    });
    await expect(resetPassword(fed.db.prisma, staleB, c.user.id, {})).rejects.toMatchObject({ status: 403 });
    await expect(
      createUser(fed.db.prisma, staleB, { email: "stale-d@example.com", name: "D", role: "admin" }),
    ).rejects.toMatchObject({ status: 403 });

    expect((await fed.db.prisma.user.findUniqueOrThrow({ where: { id: c.user.id } })).role).toBe("admin");
    expect(await fed.db.prisma.user.count({ where: { email: "stale-d@example.com" } })).toBe(0);
    await fed.db.prisma.user.updateMany({ where: { id: { in: [b.user.id, c.user.id] } }, data: { role: "member" } });
  });

  test("four concurrent decisions on one escalation: one applies, three get 409, one reassignment", async () => {
    const t = await create({ type: "decide-race", assignee: "kimi", maxAttempts: 1 });
    const token = await fed.token("kimi");
    const c = await claimAs(token, ["decide-race"]);
    await call(complete.POST, "POST", {
      token,
      lease: c.leaseToken,
      params: { id: t.id },
      body: { success: false, retry: true },
    });
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    const escalation = open.body.items.find((e: { subjectId: string }) => e.subjectId === t.id);

    const results = await Promise.all(
      ["kimi-ide", "copilot", "ollama", "kimi"].map((assignee) =>
        call(decide.POST, "POST", { ...admin, params: { id: escalation.id }, body: { assignee } }),
      ),
    );

    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    expect(
      await fed.db.prisma.auditEvent.count({ where: { action: "task.reassigned", subject: `task:${t.id}` } }),
    ).toBe(1);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { action: "escalation.resolved", subject: `escalation:${escalation.id}` },
      }),
    ).toBe(1);
  });

  test("adding A→B and B→A at the same moment: one succeeds, the other is 422, no cycle", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await create({ type: "cycle-race", assignee: "kimi" });
      const b = await create({ type: "cycle-race", assignee: "kimi" });
      const results = await Promise.all([
        call(deps.POST, "POST", { ...admin, params: { id: a.id }, body: { dependsOn: [b.id] } }),
        call(deps.POST, "POST", { ...admin, params: { id: b.id }, body: { dependsOn: [a.id] } }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
      expect(await fed.db.prisma.taskDependency.count({ where: { taskId: { in: [a.id, b.id] } } })).toBe(1);
    }
  });

  test("50 concurrent claimers take 500 tasks: each claimed exactly once, none lost, all completed", async () => {
    await call(agentList.POST, "POST", { ...admin, body: { name: "swarm" } });
    const ids = new Set<string>();
    for (let batch = 0; batch < 50; batch++) {
      const made = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          create({ title: `Swarm ${batch * 10 + i}`, type: "swarm", assignee: "swarm" }),
        ),
      );
      for (const m of made) ids.add(m.id);
    }
    const tokens = await Promise.all(Array.from({ length: 50 }, () => fed.token("swarm")));
    const claims: string[] = [];
    await Promise.all(
      tokens.map(async (token) => {
        for (;;) {
          const c = await call(claim.POST, "POST", { token, body: { types: ["swarm"], leaseSeconds: 600 } });
          if (c.status === 204) return;
          expect(c.status).toBe(200);
          claims.push(c.body.id);
          const done = await call(complete.POST, "POST", {
            token,
            lease: c.body.leaseToken,
            params: { id: c.body.id },
            body: { success: true },
          });
          expect(done.status).toBe(200);
        }
      }),
    );
    expect(claims).toHaveLength(500);
    expect(new Set(claims)).toEqual(ids);
    expect(await fed.db.prisma.task.count({ where: { type: "swarm", state: "completed" } })).toBe(500);
    expect(await fed.db.prisma.outcome.count({ where: { taskType: "swarm" } })).toBe(500);
  });
});
