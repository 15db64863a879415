// The task queue's contract: order, dependencies, fallbacks, leases, holders, idempotency.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as cancel from "@/app/api/v1/tasks/[id]/cancel/route";
import * as deps from "@/app/api/v1/tasks/[id]/dependencies/route";
import * as agents from "@/app/api/v1/agents/[name]/route";
import * as escalations from "@/app/api/v1/escalations/route";
import { SYSTEM } from "@/lib/auth/actor";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, leaseOf } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation, TASK_FIELDS } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
let n = 0;
const create = async (body: Record<string, unknown>, as: Record<string, string> = admin) => {
  const res = await call(tasks.POST, "POST", { ...as, body: { title: `Task ${++n}`, ...body } });
  expect(res.status).toBe(201);
  return res.body;
};
const claimAs = (token: string, body: Record<string, unknown> = {}) => call(claim.POST, "POST", { token, body });
const expire = (id: string) =>
  fed.db.prisma.$executeRaw`UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ${id}`;

describe("creating tasks", () => {
  test("a task has every field of the contract, a readable id, and knows where it came from", async () => {
    const t = await create({ type: "review", assignee: "claude", description: "Look at the queue" });
    expect(t.id).toMatch(/^task-\d{8}-\d{6}-\d{4}$/);
    for (const key of TASK_FIELDS) expect(t).toHaveProperty(key);
    expect(t).toMatchObject({
      state: "pending",
      priority: "normal",
      source: "api",
      createdBy: "admin-token",
      attempts: 0,
      maxAttempts: 3,
      blocked: false,
      dependsOn: [],
    });
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "maker@example.com",
      name: "Maker",
      role: "member",
      password: "maker-password-1",
    });
    const byHand = await create({ type: "review", assignee: "claude" }, { cookie: await sessionCookie(user.id) });
    expect(byHand).toMatchObject({ source: "manual", createdBy: "maker@example.com" });
    const detail = await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } });
    expect(detail.body.events[detail.body.events.length - 1]).toMatchObject({ action: "task.created" });
    expect(detail.body.followUps).toEqual([]);
  });

  test("the same idempotency key from the same caller gives one task, even at once; another caller gets its own (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    const body = {
      title: "Nightly report",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "nightly-2026-11-24",
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => call(tasks.POST, "POST", { ...admin, body })));
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const again = await call(tasks.POST, "POST", { ...admin, body });
    expect(again.status).toBe(200);
    expect(await fed.db.prisma.task.count({ where: { title: "Nightly report" } })).toBe(1);
    const other = await call(tasks.POST, "POST", { token: await fed.token("ollama"), body });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(again.body.id);
  });

  test("unknown dependencies and assignees, over-long titles and a viewer are refused, writing nothing", async () => {
    const before = await fed.db.prisma.task.count();
    const unknownDep = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "x", type: "review", dependsOn: ["task-20200101-000000-0001"] },
    });
    expect(unknownDep.status).toBe(422);
    expect(unknownDep.body.errors[0].path).toBe("dependsOn");
    expect(
      (await call(tasks.POST, "POST", { ...admin, body: { title: "x", type: "review", assignee: "ghost" } })).status,
    ).toBe(422);
    expect(
      (await call(tasks.POST, "POST", { ...admin, body: { title: "x".repeat(201), type: "review" } })).status,
    ).toBe(422);
    expect(
      (
        await call(tasks.POST, "POST", {
          ...admin,
          body: { title: "x", type: "review", description: "d".repeat(10_001) },
        })
      ).status,
    ).toBe(422);
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "watcher@example.com",
      name: "W",
      role: "viewer",
      password: "watcher-password",
    });
    expect(
      (await call(tasks.POST, "POST", { cookie: await sessionCookie(user.id), body: { title: "x", type: "review" } }))
        .status,
    ).toBe(403);
    expect(await fed.db.prisma.task.count()).toBe(before);
  });

  test("a dependency cycle is refused with 422", async () => {
    const a = await create({ type: "design", assignee: "claude" });
    const b = await create({ type: "design", assignee: "claude", dependsOn: [a.id] });
    const c = await create({ type: "design", assignee: "claude", dependsOn: [b.id] });
    const twoCycle = await call(deps.POST, "POST", { ...admin, params: { id: a.id }, body: { dependsOn: [b.id] } });
    expect(twoCycle.status).toBe(422);
    expect(twoCycle.body.errors[0].path).toBe("dependsOn");
    expect(
      (await call(deps.POST, "POST", { ...admin, params: { id: a.id }, body: { dependsOn: [c.id] } })).status,
    ).toBe(422);
    expect(
      (await call(deps.POST, "POST", { ...admin, params: { id: a.id }, body: { dependsOn: [a.id] } })).status,
    ).toBe(422);
    expect(await fed.db.prisma.taskDependency.count({ where: { taskId: a.id } })).toBe(0);
  });

  test("lists filter by state, assignee and type, newest first, and page without overlap", async () => {
    for (let i = 0; i < 3; i++) await create({ type: "list-design", assignee: "claude" });
    await create({ type: "list-design", assignee: "kimi" });
    const res = await call(tasks.GET, "GET", {
      ...admin,
      query: { assignee: "claude", type: "list-design", state: "pending" },
    });
    expect(res.body.items.length).toBe(3);
    const times = res.body.items.map((t: { createdAt: string }) => t.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(tasks.GET, "GET", {
        ...admin,
        query: { limit: "2", ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await fed.db.prisma.task.count());
  });

  test("order=claim lists in the order claims take them (priority, then oldest), paging without overlap", async () => {
    const ids: Record<string, string> = {};
    for (const [name, priority] of [
      ["low", "low"],
      ["normal1", "normal"],
      ["urgent", "urgent"],
      ["high", "high"],
      ["normal2", "normal"],
    ] as const)
      ids[name] = (await create({ type: "list-claim-order", assignee: "copilot-opus", priority })).id;
    const expected = [ids.urgent, ids.high, ids.normal1, ids.normal2, ids.low];
    const whole = await call(tasks.GET, "GET", {
      ...admin,
      query: { type: "list-claim-order", state: "pending", order: "claim" },
    });
    expect(whole.body.items.map((t: { id: string }) => t.id)).toEqual(expected);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(tasks.GET, "GET", {
        ...admin,
        query: { type: "list-claim-order", order: "claim", limit: "2", ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
    // A newest-first cursor is not a claim-order one.
    const first: any = await call(tasks.GET, "GET", { ...admin, query: { type: "list-claim-order", limit: "2" } });
    const mixed = await call(tasks.GET, "GET", {
      ...admin,
      query: { type: "list-claim-order", order: "claim", cursor: first.body.nextCursor },
    });
    expect(mixed.status).toBe(400);
    expect((await call(tasks.GET, "GET", { ...admin, query: { order: "sideways" } })).status).toBe(422);
  });
});

describe("claiming", () => {
  test("claims go by priority, then age, and only to the agent itself", async () => {
    const token = await fed.token("kimi-ide");
    const low = await create({ type: "refactor", assignee: "kimi-ide", priority: "low" });
    const normal1 = await create({ type: "refactor", assignee: "kimi-ide" });
    const urgent = await create({ type: "refactor", assignee: "kimi-ide", priority: "urgent" });
    const normal2 = await create({ type: "refactor", assignee: "kimi-ide" });
    const high = await create({ type: "refactor", assignee: "kimi-ide", priority: "high" });
    const order: string[] = [];
    for (;;) {
      const c = await claimAs(token, { types: ["refactor"] });
      if (c.status === 204) break;
      expect(c.body).toMatchObject({ state: "in_progress", claimedBy: "kimi-ide", leaseExpiresAt: expect.any(String) });
      order.push(c.body.id);
    }
    expect(order).toEqual([urgent.id, high.id, normal1.id, normal2.id, low.id]);
    expect((await claimAs(token, { agent: "kimi" })).status).toBe(403);
    expect((await call(claim.POST, "POST", { ...admin, body: {} })).status).toBe(422);
    expect((await call(claim.POST, "POST", { ...admin, body: { agent: "kimi-ide" } })).status).toBe(204);
  });

  test("a blocked task is not claimable until its dependency completes", async () => {
    const token = await fed.token("copilot");
    const first = await create({ type: "testing", assignee: "copilot", priority: "low" });
    const blocked = await create({ type: "testing", assignee: "copilot", priority: "urgent", dependsOn: [first.id] });
    expect(blocked.blocked).toBe(true);
    const c = await claimAs(token, { types: ["testing"] });
    expect(c.body.id).toBe(first.id);
    expect((await claimAs(token, { types: ["testing"] })).status).toBe(204);
    await call(complete.POST, "POST", {
      token,
      lease: leaseOf(first.id),
      params: { id: first.id },
      body: { success: true },
    });
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: blocked.id } })).body.blocked).toBe(false);
    expect((await claimAs(token, { types: ["testing"] })).body.id).toBe(blocked.id);
  });

  test("claude rate-limited: copilot-opus claims claude's tasks; claude active again: it does not", async () => {
    const opus = await fed.token("copilot-opus");
    const kimi = await fed.token("kimi");
    const t1 = await create({ type: "research", assignee: "claude" });
    const t2 = await create({ type: "research", assignee: "claude" });
    expect((await claimAs(opus, { types: ["research"] })).status).toBe(204);
    await call(agents.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "rate_limited" } });
    expect((await claimAs(kimi, { types: ["research"] })).status).toBe(204);
    const taken = await claimAs(opus, { types: ["research"] });
    expect(taken.body).toMatchObject({ id: t1.id, assignee: "claude", claimedBy: "copilot-opus" });
    const event = (await call(taskOne.GET, "GET", { ...admin, params: { id: t1.id } })).body.events.find(
      (e: { action: string }) => e.action === "task.claimed",
    );
    expect(event.details.fallbackFor).toBe("claude");
    await call(agents.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "active" } });
    expect((await claimAs(opus, { types: ["research"] })).status).toBe(204);
    expect((await claimAs(await fed.token("claude"), { types: ["research"] })).body.id).toBe(t2.id);
  });

  test("20 concurrent claimers take 100 tasks, each exactly once (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    await fed.db.prisma.agent.create({ data: { name: "crowd", displayName: "Crowd" } });
    for (let i = 0; i < 100; i++) await create({ type: "crowd", assignee: "crowd" });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => fed.token("crowd")));
    const claimed: string[] = [];
    await Promise.all(
      tokens.map(async (token) => {
        for (;;) {
          const c = await claimAs(token, { types: ["crowd"] });
          if (c.status === 204) return;
          expect(c.status).toBe(200);
          claimed.push(c.body.id);
        }
      }),
    );
    expect(claimed).toHaveLength(100);
    expect(new Set(claimed).size).toBe(100);
    expect(await fed.db.prisma.task.count({ where: { type: "crowd", state: "in_progress" } })).toBe(100);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { action: "task.claimed", subject: { in: claimed.map((id) => `task:${id}`) } },
      }),
    ).toBe(100);
  });
});

describe("leases and holders", () => {
  test("only the holder heartbeats, releases or completes; others get 403", async () => {
    const holder = await fed.token("kimi");
    const other = await fed.token("copilot");
    const t = await create({ type: "implementation", assignee: "kimi" });
    expect((await claimAs(holder, { types: ["implementation"] })).body.id).toBe(t.id);
    const before = (await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } })).body.leaseExpiresAt;
    for (const [handler, body] of [
      [heartbeat.POST, {}],
      [release.POST, {}],
      [complete.POST, { success: true }],
    ] as const) {
      const res = await call(handler, "POST", { token: other, params: { id: t.id }, body });
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const beat = await call(heartbeat.POST, "POST", {
      token: holder,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { leaseSeconds: 3600 },
    });
    expect(beat.status).toBe(200);
    expect(new Date(beat.body.leaseExpiresAt).getTime()).toBeGreaterThan(new Date(before).getTime());
    const released = await call(release.POST, "POST", {
      token: holder,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { reason: "lunch" },
    });
    expect(released.body).toMatchObject({ state: "pending", attempts: 0, claimedBy: null });
    expect((await claimAs(holder, { types: ["implementation"] })).body.id).toBe(t.id);
  });

  test("an expired lease returns the task with attempts + 1 — by the sweep or the next claim — and a heartbeat after it is 409", async () => {
    const token = await fed.token("ollama");
    const t = await create({ type: "lease-test", assignee: "ollama", maxAttempts: 3 });
    expect((await claimAs(token, { types: ["lease-test"] })).body.id).toBe(t.id);
    await expire(t.id);
    expect(
      (await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(409);
    const swept = await reapExpiredLeases(fed.db.prisma);
    expect(swept.requeued).toContain(t.id);
    expect(await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
      state: "pending",
      attempts: 1,
      claimedBy: null,
    });

    expect((await claimAs(token, { types: ["lease-test"] })).body.id).toBe(t.id);
    await expire(t.id);
    const reclaimed = await claimAs(token, { types: ["lease-test"] });
    expect(reclaimed.body).toMatchObject({ id: t.id, attempts: 2, state: "in_progress" });
    const events = (await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } })).body.events.map(
      (e: { action: string }) => e.action,
    );
    expect(events.filter((a: string) => a === "task.lease_expired")).toHaveLength(2);
  });

  test("after maxAttempts an expired lease fails the task and opens a task escalation", async () => {
    const token = await fed.token("ollama");
    const t = await create({ type: "summaries", assignee: "ollama", maxAttempts: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await claimAs(token, { types: ["summaries"] })).body.id).toBe(t.id);
      await expire(t.id);
      await reapExpiredLeases(fed.db.prisma);
    }
    expect(await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).toMatchObject({
      state: "failed",
      attempts: 2,
    });
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    expect(open.body.items.find((e: { subjectId: string }) => e.subjectId === t.id)).toMatchObject({
      kind: "task",
      state: "open",
    });
  });
});

describe("completing", () => {
  test("a completion records an outcome; the same call again answers the same; a different one is 409", async () => {
    const token = await fed.token("kimi");
    const t = await create({ type: "deployment", assignee: "kimi" });
    await claimAs(token, { types: ["deployment"] });
    const body = { success: true, durationMinutes: 12.5, summary: "shipped", output: { url: "https://example.com" } };
    const first = await call(complete.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body });
    expect(first.status).toBe(200);
    expect(first.body.task).toMatchObject({
      state: "completed",
      completedAt: expect.any(String),
      outcome: { success: true, durationMinutes: 12.5, summary: "shipped", agent: "kimi" },
    });
    expect(first.body.followUps).toEqual([]);
    const second = await call(complete.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(
      (
        await call(complete.POST, "POST", {
          token,
          lease: leaseOf(t.id),
          params: { id: t.id },
          body: { success: false },
        })
      ).status,
    ).toBe(409);
    const outcomes = await fed.db.prisma.outcome.findMany({ where: { taskId: t.id } });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ agent: "kimi", taskType: "deployment", success: true, durationMinutes: 12.5 });
  });

  test("a failure with retry goes back to pending while attempts remain, then fails with an escalation", async () => {
    const token = await fed.token("kimi");
    const t = await create({ type: "migration", assignee: "kimi", maxAttempts: 2 });
    await claimAs(token, { types: ["migration"] });
    const retry = await call(complete.POST, "POST", {
      token,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { success: false, retry: true },
    });
    expect(retry.body.task).toMatchObject({ state: "pending", attempts: 1 });
    await claimAs(token, { types: ["migration"] });
    const last = await call(complete.POST, "POST", {
      token,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { success: false, retry: true, summary: "still broken" },
    });
    expect(last.body.task).toMatchObject({ state: "failed", attempts: 2 });
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    expect(open.body.items.some((e: { subjectId: string }) => e.subjectId === t.id)).toBe(true);
  });

  test("the creator or an admin cancels; anyone else gets 403; a finished task cannot be cancelled", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "creator@example.com",
      name: "C",
      role: "member",
      password: "creator-password",
    });
    const { user: stranger } = await createUser(fed.db.prisma, SYSTEM, {
      email: "stranger@example.com",
      name: "S",
      role: "member",
      password: "stranger-password",
    });
    const t = await create({ type: "review", assignee: "claude" }, { cookie: await sessionCookie(user.id) });
    expect(
      (await call(cancel.POST, "POST", { cookie: await sessionCookie(stranger.id), params: { id: t.id }, body: {} }))
        .status,
    ).toBe(403);
    const cancelled = await call(cancel.POST, "POST", {
      cookie: await sessionCookie(user.id),
      params: { id: t.id },
      body: { reason: "not needed" },
    });
    expect(cancelled.body.state).toBe("cancelled");
    const finished = await create({ type: "cancel-finished", assignee: "claude" });
    const claimed = await claimAs(await fed.token("claude"), { types: ["cancel-finished"] });
    await call(complete.POST, "POST", {
      token: await fed.token("claude"),
      lease: claimed.body.leaseToken,
      params: { id: finished.id },
      body: { success: true },
    });
    const done = (await fed.db.prisma.task.findFirstOrThrow({ where: { id: finished.id, state: "completed" } })).id;
    expect((await call(cancel.POST, "POST", { ...admin, params: { id: done }, body: {} })).status).toBe(409);
  });
});
