// Creating and reading tasks: the contract's Task shape, idempotency keys, validation, viewers,
// dependency cycles, filtered lists with cursors, and one task with its history and follow-ups.
import { beforeAll, describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as cancel from "@/app/api/v1/tasks/[id]/cancel/route";
import * as deps from "@/app/api/v1/tasks/[id]/dependencies/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as fedState from "@/app/api/v1/federation/state/route";
import { call, leaseOf } from "./helpers/api";
import { admin, TASK_FIELDS, seededFederation, signedIn, taskMaker } from "./helpers/fixtures";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const fed = seededFederation();
let memberCookie: string;
let viewerCookie: string;

beforeAll(async () => {
  memberCookie = await signedIn(fed.db, "member", "author@example.com");
  viewerCookie = await signedIn(fed.db, "viewer", "reader@example.com");
});

const createTask = taskMaker("Create task");

const post = (body: Record<string, unknown>, as: { token?: string; cookie?: string } = admin) =>
  call(tasks.POST, "POST", { ...as, body });
const addDeps = (id: string, dependsOn: string[]) =>
  call(deps.POST, "POST", { ...admin, params: { id }, body: { dependsOn } });

describe("creating a task", () => {
  test("an agent's task comes back 201 with every field of the contract, a readable id and source api", async () => {
    const before = Date.now();
    const res = await post(
      { title: "Write the queue tests", description: "All of them", type: "testing", assignee: "copilot" },
      { token: await fed.agentToken("kimi") },
    );

    expect(res.status).toBe(201);
    const t = res.body;
    for (const field of TASK_FIELDS) expect(t).toHaveProperty(field);
    expect(t.id).toMatch(/^task-\d{8}-\d{6}-\d{4}$/);
    expect(t).toMatchObject({
      title: "Write the queue tests",
      description: "All of them",
      type: "testing",
      priority: "normal",
      state: "pending",
      assignee: "copilot",
      createdBy: "kimi",
      source: "api",
      parentId: null,
      ruleId: null,
      chainDepth: 0,
      dependsOn: [],
      blocked: false,
      attempts: 0,
      maxAttempts: 3,
      leaseExpiresAt: null,
      claimedBy: null,
      outcome: null,
      completedAt: null,
    });
    expect(t.createdAt).toMatch(ISO);
    expect(t.updatedAt).toMatch(ISO);
    expect(new Date(t.createdAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // The id carries the UTC second it was made in.
    const [, y, mo, d, h, mi, se] = /^task-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(t.id)!.map(Number);
    expect(Math.abs(Date.UTC(y!, mo! - 1, d, h, mi, se) - new Date(t.createdAt).getTime())).toBeLessThan(2000);
    expect(await fed.db.prisma.task.count({ where: { id: t.id } })).toBe(1);
    const created = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.created", subject: `task:${t.id}` },
    });
    expect(created.actor).toBe("kimi");
  });

  test("a signed-in member's task has source manual and names the member as creator", async () => {
    const t = await createTask(
      { type: "review", assignee: "claude", priority: "high", maxAttempts: 5 },
      { cookie: memberCookie },
    );
    expect(t).toMatchObject({ source: "manual", createdBy: "author@example.com", priority: "high", maxAttempts: 5 });
  });

  test("the admin token creates tasks with source api", async () => {
    const t = await createTask({ type: "review", assignee: "claude" });
    expect(t).toMatchObject({ source: "api", createdBy: "admin-token" });
  });

  test("a task with dependencies lists each of them once and is blocked", async () => {
    const a = await createTask({ type: "design", assignee: "claude" });
    const b = await createTask({ type: "design", assignee: "claude" });
    const t = await createTask({ type: "implementation", assignee: "kimi", dependsOn: [b.id, a.id, a.id] });
    expect(t.blocked).toBe(true);
    expect([...t.dependsOn].sort()).toEqual([a.id, b.id].sort());
    expect(await fed.db.prisma.taskDependency.count({ where: { taskId: t.id } })).toBe(2);
  });

  test("without an assignee the router picks one and the response says how", async () => {
    const res = await post({ title: "Research and compare vector databases", type: "design" });
    expect(res.status).toBe(201);
    expect(res.body.routing).toMatchObject({
      agent: expect.any(String),
      confidence: expect.any(Number),
      method: expect.any(String),
    });
    expect(res.body.assignee).toBe(res.body.routing.agent);
    expect(res.body.routing.confidence).toBeGreaterThanOrEqual(0.3);
  });

  test("a task no agent is a confident match for stays unassigned and opens a routing escalation", async () => {
    const res = await post({ title: "Qzxv wubbly frobnication", type: "unroutable" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ assignee: null, routing: { agent: null } });
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "routing" } });
    expect(open.body.items.filter((e: { subjectId: string }) => e.subjectId === res.body.id)).toHaveLength(1);
  });
});

describe("idempotency keys", () => {
  test("the same key twice from the same caller gives one task; the second answer is 200 with the same id", async () => {
    const body = {
      title: "Nightly report",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "nightly-2026-11-24",
    };
    const first = await post(body);
    const second = await post(body);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body).toMatchObject({ title: "Nightly report", state: "pending" });
    expect(await fed.db.prisma.task.count({ where: { title: "Nightly report" } })).toBe(1);
    expect(
      await fed.db.prisma.auditEvent.count({ where: { action: "task.created", subject: `task:${first.body.id}` } }),
    ).toBe(1);
  });

  test("the key returns the original task even when the second request differs", async () => {
    const first = await post({
      title: "Weekly digest",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "weekly-48",
    });
    const second = await post({
      title: "Weekly digest, revised",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "weekly-48",
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, title: "Weekly digest" });
    expect(await fed.db.prisma.task.count({ where: { title: { startsWith: "Weekly digest" } } })).toBe(1);
  });

  test("five concurrent requests with the same key from the same caller still make one task (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    const body = {
      title: "Concurrent digest",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "concurrent-1",
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(body)));

    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await fed.db.prisma.task.count({ where: { title: "Concurrent digest" } })).toBe(1);
  });

  test("the same key from a different caller makes a different task", async () => {
    const body = { title: "Shared key", type: "documentation", assignee: "ollama", idempotencyKey: "shared-key" };
    const byAdmin = await post(body);
    const byAgent = await post(body, { token: await fed.agentToken("ollama") });
    const byMember = await post(body, { cookie: memberCookie });

    expect([byAdmin.status, byAgent.status, byMember.status]).toEqual([201, 201, 201]);
    expect(new Set([byAdmin.body.id, byAgent.body.id, byMember.body.id]).size).toBe(3);
    expect(await fed.db.prisma.task.count({ where: { title: "Shared key" } })).toBe(3);
    // Each caller still gets its own task back on a repeat.
    expect((await post(body, { token: await fed.agentToken("ollama") })).body.id).toBe(byAgent.body.id);
  });

  test("a request refused with 422 does not use up its key", async () => {
    const bad = await post({
      title: "Keyed",
      type: "documentation",
      assignee: "ghost-agent",
      idempotencyKey: "retry-after-422",
    });
    expect(bad.status).toBe(422);
    const good = await post({
      title: "Keyed",
      type: "documentation",
      assignee: "ollama",
      idempotencyKey: "retry-after-422",
    });
    expect(good.status).toBe(201);
    expect(good.body.assignee).toBe("ollama");
  });
});

describe("validation and access", () => {
  test("an unknown dependency is 422 with an error on dependsOn, and nothing is written", async () => {
    const before = await fed.db.prisma.task.count();
    const res = await post({
      title: "Depends on a ghost",
      type: "review",
      assignee: "claude",
      dependsOn: ["task-20200101-000000-0001"],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("dependsOn");
    expect(await fed.db.prisma.task.count()).toBe(before);
  });

  test("an unknown assignee is 422 with an error on assignee", async () => {
    const before = await fed.db.prisma.task.count();
    const res = await post({ title: "For nobody", type: "review", assignee: "ghost-agent" });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("assignee");
    expect(await fed.db.prisma.task.count()).toBe(before);
  });

  test("a title of 201 characters is 422 and one of 200 is accepted", async () => {
    const tooLong = await post({ title: "t".repeat(201), type: "review", assignee: "claude" });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors.map((e: { path: string }) => e.path)).toContain("title");
    expect((await post({ title: "t".repeat(200), type: "review", assignee: "claude" })).status).toBe(201);
  });

  test("a description over 10 000 characters is 422 and one of exactly 10 000 is accepted", async () => {
    const tooLong = await post({ title: "Long", type: "review", assignee: "claude", description: "d".repeat(10_001) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors.map((e: { path: string }) => e.path)).toContain("description");
    expect(
      (await post({ title: "Long enough", type: "review", assignee: "claude", description: "d".repeat(10_000) }))
        .status,
    ).toBe(201);
  });

  test("an empty title, a type that is not a slug and an unknown priority are 422", async () => {
    for (const body of [
      { title: "", type: "review" },
      { title: "Spaces", type: "Not A Slug" },
      { title: "Priority", type: "review", priority: "critical" },
    ]) {
      expect((await post({ assignee: "claude", ...body })).status).toBe(422);
    }
  });

  test("a viewer signed in with a session cookie may not create tasks", async () => {
    const before = await fed.db.prisma.task.count();
    const res = await post({ title: "Viewer's task", type: "review", assignee: "claude" }, { cookie: viewerCookie });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await fed.db.prisma.task.count()).toBe(before);
  });

  test("no credentials at all is 401", async () => {
    expect((await call(tasks.POST, "POST", { body: { title: "Anonymous", type: "review" } })).status).toBe(401);
  });
});

describe("dependency cycles", () => {
  const snapshot = async () => ({
    dependencies: await fed.db.prisma.taskDependency.count(),
    events: await fed.db.prisma.auditEvent.count({ where: { action: "task.dependencies_added" } }),
  });

  test("B depending on A after A depends on B is 422 and nothing is written", async () => {
    const a = await createTask({ type: "design", assignee: "claude" });
    const b = await createTask({ type: "design", assignee: "claude" });
    const aOnB = await addDeps(a.id, [b.id]);
    expect(aOnB.status).toBe(200);
    expect(aOnB.body).toMatchObject({ id: a.id, dependsOn: [b.id], blocked: true });
    const before = await snapshot();

    const res = await addDeps(b.id, [a.id]);

    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("dependsOn");
    expect(await snapshot()).toEqual(before);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: b.id } })).body).toMatchObject({
      dependsOn: [],
      blocked: false,
    });
  });

  test("closing a three-task cycle A → B → C → A is 422 and nothing is written", async () => {
    const a = await createTask({ type: "design", assignee: "claude" });
    const b = await createTask({ type: "design", assignee: "claude" });
    const c = await createTask({ type: "design", assignee: "claude" });
    expect((await addDeps(a.id, [b.id])).status).toBe(200);
    expect((await addDeps(b.id, [c.id])).status).toBe(200);
    const before = await snapshot();

    const res = await addDeps(c.id, [a.id]);

    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("dependsOn");
    expect(await snapshot()).toEqual(before);
    expect(await fed.db.prisma.taskDependency.count({ where: { taskId: c.id } })).toBe(0);
  });

  test("a task depending on itself is 422, and a cycle hidden among other dependencies refuses the whole request", async () => {
    const a = await createTask({ type: "design", assignee: "claude" });
    const b = await createTask({ type: "design", assignee: "claude" });
    const free = await createTask({ type: "design", assignee: "claude" });
    expect((await addDeps(a.id, [b.id])).status).toBe(200);
    const before = await snapshot();

    expect((await addDeps(a.id, [a.id])).status).toBe(422);
    expect((await addDeps(b.id, [free.id, a.id])).status).toBe(422);

    expect(await snapshot()).toEqual(before);
    expect(await fed.db.prisma.taskDependency.count({ where: { taskId: b.id } })).toBe(0);
  });

  test("two requests that would close a cycle between them at the same moment cannot both succeed (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await createTask({ type: "design", assignee: "claude" });
      const b = await createTask({ type: "design", assignee: "claude" });

      const [ab, ba] = await Promise.all([addDeps(a.id, [b.id]), addDeps(b.id, [a.id])]);

      expect([ab.status, ba.status].sort()).toEqual([200, 422]);
      expect(await fed.db.prisma.taskDependency.count({ where: { taskId: { in: [a.id, b.id] } } })).toBe(1);
    }
  });

  test("an unknown dependency is 422 and a dependency on a finished task does not block", async () => {
    const t = await createTask({ type: "design", assignee: "claude" });
    expect((await addDeps(t.id, ["task-20200101-000000-0009"])).status).toBe(422);
    const done = await createTask({ type: "deps-done", assignee: "claude" });
    const token = await fed.agentToken("claude");
    expect((await call(claim.POST, "POST", { token, body: { types: ["deps-done"] } })).body.id).toBe(done.id);
    expect(
      (
        await call(complete.POST, "POST", {
          token,
          lease: leaseOf(done.id),
          params: { id: done.id },
          body: { success: true },
        })
      ).status,
    ).toBe(200);
    const res = await addDeps(t.id, [done.id]);
    expect(res.body).toMatchObject({ dependsOn: [done.id], blocked: false });
  });
});

describe("listing tasks", () => {
  const list = (query: Record<string, string>) => call(tasks.GET, "GET", { ...admin, query });
  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((t) => t.id);

  async function pageThrough(query: Record<string, string>, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res: any = await list({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      pages.push(ids(res));
      cursor = res.body.nextCursor;
      expect(pages.length).toBeLessThan(50);
    } while (cursor);
    return pages;
  }

  test("state, assignee and type filter the list, newest first", async () => {
    const type = "list-filter";
    const made: any[] = [];
    for (const [assignee, minutesAgo] of [
      ["copilot", 50],
      ["ollama", 40],
      ["copilot", 30],
      ["copilot", 20],
      ["copilot", 10],
    ] as const) {
      const t = await createTask({ type, assignee });
      await fed.db.prisma
        .$executeRaw`UPDATE tasks SET created_at = now() - make_interval(mins => ${minutesAgo}) WHERE id = ${t.id}`;
      made.push(t);
    }
    const other = await createTask({ type: "list-other", assignee: "copilot" });
    // made[2] is claimed (in_progress), made[3] cancelled.
    expect(
      (await call(claim.POST, "POST", { token: await fed.agentToken("copilot"), body: { types: [type] } })).body.id,
    ).toBe(made[0].id);
    expect(
      (
        await call(release.POST, "POST", {
          token: await fed.agentToken("copilot"),
          lease: leaseOf(made[0].id),
          params: { id: made[0].id },
          body: {},
        })
      ).status,
    ).toBe(200);
    await fed.db.prisma.$executeRaw`UPDATE tasks SET priority = 'urgent' WHERE id = ${made[2].id}`;
    expect(
      (await call(claim.POST, "POST", { token: await fed.agentToken("copilot"), body: { types: [type] } })).body.id,
    ).toBe(made[2].id);
    expect((await call(cancel.POST, "POST", { ...admin, params: { id: made[3].id }, body: {} })).status).toBe(200);

    expect(ids(await list({ type }))).toEqual([made[4].id, made[3].id, made[2].id, made[1].id, made[0].id]);
    expect(ids(await list({ type, assignee: "copilot" }))).toEqual([made[4].id, made[3].id, made[2].id, made[0].id]);
    expect(ids(await list({ type, assignee: "copilot", state: "pending" }))).toEqual([made[4].id, made[0].id]);
    expect(ids(await list({ type, state: "in_progress" }))).toEqual([made[2].id]);
    expect(ids(await list({ type, state: "cancelled" }))).toEqual([made[3].id]);
    expect(ids(await list({ assignee: "ollama", type }))).toEqual([made[1].id]);
    expect(ids(await list({ assignee: "copilot", state: "pending" }))).toContain(other.id);
    expect(ids(await list({ type: "list-none" }))).toEqual([]);
    const all = await list({});
    const times = all.body.items.map((t: { createdAt: string }) => new Date(t.createdAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  test("an unknown state in the filter is 422", async () => {
    expect((await list({ state: "sleeping" })).status).toBe(422);
  });

  test("cursor paging walks a filtered list without overlap or gaps, even across tasks created at the same instant", async () => {
    const type = "list-paging";
    const made: string[] = [];
    for (let i = 0; i < 11; i++) made.push((await createTask({ type, assignee: "kimi" })).id);
    // Four of them share one creation time to the millisecond.
    await fed.db.prisma
      .$executeRaw`UPDATE tasks SET created_at = '2026-01-01T00:00:00.000Z' WHERE id IN (${made[2]}, ${made[3]}, ${made[4]}, ${made[5]})`;
    const full = ids(await list({ type, limit: "200" }));
    expect(full).toHaveLength(11);

    for (const limit of [1, 2, 3, 4]) {
      const pages = await pageThrough({ type }, limit);
      const flat = pages.flat();
      expect(new Set(flat).size).toBe(flat.length);
      expect(flat).toEqual(full);
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
    }
    const first = await list({ type, limit: "11" });
    expect(first.body.nextCursor).toBeNull();
  });

  test("a cursor the API did not hand out is 400", async () => {
    expect((await list({ cursor: "not-a-cursor" })).status).toBe(400);
  });

  test("limit outside 1..200 is 422", async () => {
    expect((await list({ limit: "0" })).status).toBe(422);
    expect((await list({ limit: "201" })).status).toBe(422);
  });
});

describe("one task", () => {
  test("GET /tasks/{id} includes its events, with task.created first in time", async () => {
    const token = await fed.agentToken("kimi-ide");
    const t = await createTask({ type: "history", assignee: "kimi-ide" });
    expect((await call(claim.POST, "POST", { token, body: { types: ["history"] } })).body.id).toBe(t.id);
    expect(
      (await call(release.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(200);

    const res = await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } });

    expect(res.status).toBe(200);
    for (const field of TASK_FIELDS) expect(res.body).toHaveProperty(field);
    const events: { id: number; at: string; action: string; subject: string; actor: string }[] = res.body.events;
    expect(events.map((e) => e.action).sort()).toEqual(["task.claimed", "task.created", "task.released"]);
    expect(events.every((e) => e.subject === `task:${t.id}`)).toBe(true);
    const chronological = [...events].sort((x, y) => x.at.localeCompare(y.at) || x.id - y.id);
    expect(chronological[0]).toMatchObject({ action: "task.created", actor: "admin-token" });
    expect(res.body.followUps).toEqual([]);
  });

  test("GET /tasks/{id} lists the follow-ups its completion spawned", async () => {
    expect((await call(fedState.PATCH, "PATCH", { ...admin, body: { autoScheduling: true } })).status).toBe(200);
    try {
      const token = await fed.agentToken("claude");
      const parent = await createTask({ title: "Research retry strategies", type: "research", assignee: "claude" });
      const claimed = await call(claim.POST, "POST", { token, body: { types: ["research"] } });
      expect(claimed.body.id).toBe(parent.id);
      const done = await call(complete.POST, "POST", {
        token,
        lease: leaseOf(parent.id),
        params: { id: parent.id },
        body: { success: true },
      });
      expect(done.status).toBe(200);
      expect(done.body.followUps).toHaveLength(1);

      const res = await call(taskOne.GET, "GET", { ...admin, params: { id: parent.id } });

      expect(res.body.followUps).toHaveLength(1);
      expect(res.body.followUps[0]).toMatchObject({
        id: done.body.followUps[0].id,
        parentId: parent.id,
        source: "auto",
        chainDepth: 1,
        type: "implementation",
      });
      for (const field of TASK_FIELDS) expect(res.body.followUps[0]).toHaveProperty(field);
    } finally {
      expect((await call(fedState.PATCH, "PATCH", { ...admin, body: { autoScheduling: false } })).status).toBe(200);
    }
  });

  test("an unknown task id is 404 problem+json", async () => {
    const res = await call(taskOne.GET, "GET", { ...admin, params: { id: "task-20200101-000000-0042" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
