// Claiming from the queue: order, dependencies, type filters, who claims for whom, unassigned work,
// and 20 claimers racing for 100 tasks.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as cancel from "@/app/api/v1/tasks/[id]/cancel/route";
import * as agentList from "@/app/api/v1/agents/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, leaseOf } from "./helpers/api";
import { admin, seededFederation, taskMaker } from "./helpers/fixtures";

const SEEDED_AGENTS = ["claude", "copilot-opus", "kimi", "kimi-ide", "copilot", "ollama"];

const fed = seededFederation();

const createTask = taskMaker("Claims task");

const claimAs = (token: string, body: Record<string, unknown> = {}) => call(claim.POST, "POST", { token, body });

async function claimAll(token: string, types: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const res = await claimAs(token, { types });
    if (res.status === 204) return ids;
    expect(res.status).toBe(200);
    ids.push(res.body.id);
  }
}

const setCreatedAt = (id: string, minutesAgo: number) =>
  fed.db.prisma
    .$executeRaw`UPDATE tasks SET created_at = now() - make_interval(mins => ${minutesAgo}) WHERE id = ${id}`;

describe("the order in which one agent's tasks are claimed", () => {
  test("an agent gets urgent before high before normal before low, and the oldest first within a priority", async () => {
    const token = await fed.token("kimi-ide");
    const type = "order-check";
    // Created in an order that matches neither the priority order nor the age order, so that neither
    // creation order nor id order can pass for the right answer.
    const lowOld = await createTask({ type, assignee: "kimi-ide", priority: "low" });
    const normalNew = await createTask({ type, assignee: "kimi-ide", priority: "normal" });
    const urgentNew = await createTask({ type, assignee: "kimi-ide", priority: "urgent" });
    const normalOld = await createTask({ type, assignee: "kimi-ide", priority: "normal" });
    const high = await createTask({ type, assignee: "kimi-ide", priority: "high" });
    const urgentOld = await createTask({ type, assignee: "kimi-ide", priority: "urgent" });
    const normalMid = await createTask({ type, assignee: "kimi-ide", priority: "normal" });
    await setCreatedAt(lowOld.id, 120);
    await setCreatedAt(normalNew.id, 5);
    await setCreatedAt(urgentNew.id, 10);
    await setCreatedAt(normalOld.id, 90);
    await setCreatedAt(high.id, 1);
    await setCreatedAt(urgentOld.id, 60);
    await setCreatedAt(normalMid.id, 30);

    const order = await claimAll(token, [type]);

    expect(order).toEqual([urgentOld.id, urgentNew.id, high.id, normalOld.id, normalMid.id, normalNew.id, lowOld.id]);
  });

  test("a claimed task comes back in_progress, held by the claimer, with a lease of the requested length", async () => {
    const token = await fed.token("kimi-ide");
    const t = await createTask({ type: "lease-shape", assignee: "kimi-ide" });
    const before = Date.now();

    const res = await claimAs(token, { types: ["lease-shape"], leaseSeconds: 120 });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: t.id,
      state: "in_progress",
      claimedBy: "kimi-ide",
      assignee: "kimi-ide",
      attempts: 0,
    });
    const lease = new Date(res.body.leaseExpiresAt).getTime();
    expect(lease).toBeGreaterThanOrEqual(before + 115_000);
    expect(lease).toBeLessThanOrEqual(Date.now() + 125_000);
    const stored = await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored).toMatchObject({ state: "in_progress", claimedBy: "kimi-ide" });
  });

  test("a lease shorter than 30 seconds or longer than an hour is refused with 422", async () => {
    const token = await fed.token("kimi-ide");
    await createTask({ type: "lease-bounds", assignee: "kimi-ide" });
    for (const leaseSeconds of [29, 3601]) {
      const res = await claimAs(token, { types: ["lease-bounds"], leaseSeconds });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("leaseSeconds");
    }
    expect(await fed.db.prisma.task.count({ where: { type: "lease-bounds", state: "pending" } })).toBe(1);
  });
});

describe("dependencies", () => {
  test("a task blocked by a dependency is passed over until the dependency completes", async () => {
    const token = await fed.token("copilot");
    const type = "blocked-check";
    const dependency = await createTask({ type, assignee: "copilot", priority: "low" });
    const blocked = await createTask({ type, assignee: "copilot", priority: "urgent", dependsOn: [dependency.id] });
    expect(blocked).toMatchObject({ blocked: true, dependsOn: [dependency.id] });
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: blocked.id } })).body.blocked).toBe(true);

    // The urgent task is blocked, so the low one comes first; then nothing is left to claim.
    const first = await claimAs(token, { types: [type] });
    expect(first.status).toBe(200);
    expect(first.body.id).toBe(dependency.id);
    expect((await claimAs(token, { types: [type] })).status).toBe(204);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: blocked.id } })).body).toMatchObject({
      state: "pending",
      blocked: true,
    });

    const done = await call(complete.POST, "POST", {
      token,
      lease: leaseOf(dependency.id),
      params: { id: dependency.id },
      body: { success: true },
    });
    expect(done.status).toBe(200);

    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: blocked.id } })).body.blocked).toBe(false);
    const second = await claimAs(token, { types: [type] });
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(blocked.id);
  });

  test("a task stays blocked while any of its dependencies is not completed, even a cancelled one", async () => {
    const token = await fed.token("copilot");
    const type = "blocked-many";
    const d1 = await createTask({ type: "blocked-dep", assignee: "copilot" });
    const d2 = await createTask({ type: "blocked-dep", assignee: "copilot" });
    const waiting = await createTask({ type, assignee: "copilot", dependsOn: [d1.id, d2.id] });

    expect((await claimAs(token, { types: ["blocked-dep"] })).body.id).toBe(d1.id);
    expect(
      (
        await call(complete.POST, "POST", {
          token,
          lease: leaseOf(d1.id),
          params: { id: d1.id },
          body: { success: true },
        })
      ).status,
    ).toBe(200);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: waiting.id } })).body.blocked).toBe(true);
    expect((await claimAs(token, { types: [type] })).status).toBe(204);

    expect((await call(cancel.POST, "POST", { ...admin, params: { id: d2.id }, body: {} })).status).toBe(200);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: waiting.id } })).body.blocked).toBe(true);
    expect((await claimAs(token, { types: [type] })).status).toBe(204);
  });
});

describe("filtering by type", () => {
  test("types limits a claim to those task types and still orders by priority within them", async () => {
    const token = await fed.token("ollama");
    const alpha = await createTask({ type: "filter-alpha", assignee: "ollama", priority: "urgent" });
    const beta = await createTask({ type: "filter-beta", assignee: "ollama", priority: "low" });
    const gamma = await createTask({ type: "filter-gamma", assignee: "ollama", priority: "high" });

    const onlyBeta = await claimAs(token, { types: ["filter-beta"] });
    expect(onlyBeta.body.id).toBe(beta.id);
    expect((await claimAs(token, { types: ["filter-delta"] })).status).toBe(204);
    const betaOrGamma = await claimAs(token, { types: ["filter-beta", "filter-gamma"] });
    expect(betaOrGamma.body.id).toBe(gamma.id);
    expect((await claimAs(token, { types: ["filter-beta", "filter-gamma"] })).status).toBe(204);

    // Without a filter the urgent alpha task is the one left.
    const any = await claimAs(token, {});
    expect(any.body.id).toBe(alpha.id);
  });
});

describe("who may claim for whom", () => {
  test("an agent that names another agent in its claim is refused with 403 and nothing is claimed", async () => {
    const token = await fed.token("kimi");
    const t = await createTask({ type: "for-whom", assignee: "kimi" });

    const res = await claimAs(token, { types: ["for-whom"], agent: "copilot" });

    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ status: 403 });
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("pending");
    const own = await claimAs(token, { types: ["for-whom"], agent: "kimi" });
    expect(own.body).toMatchObject({ id: t.id, claimedBy: "kimi" });
  });

  test("an admin must name the agent it claims for, and then claims as that agent", async () => {
    const t = await createTask({ type: "admin-claim", assignee: "kimi" });

    const unnamed = await call(claim.POST, "POST", { ...admin, body: { types: ["admin-claim"] } });
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.errors.map((e: { path: string }) => e.path)).toContain("agent");

    const unknown = await call(claim.POST, "POST", {
      ...admin,
      body: { types: ["admin-claim"], agent: "nobody-here" },
    });
    expect(unknown.status).toBe(422);

    const named = await call(claim.POST, "POST", { ...admin, body: { types: ["admin-claim"], agent: "kimi" } });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ id: t.id, claimedBy: "kimi", state: "in_progress" });
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.claimed", subject: `task:${t.id}` },
    });
    expect(event.actor).toBe("admin-token");
  });

  test("a signed-in member cannot claim tasks at all", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "claims-member@example.com",
      name: "Member",
      role: "member",
      password: "member-password-1",
    });
    const t = await createTask({ type: "member-claim", assignee: "kimi" });

    const res = await call(claim.POST, "POST", {
      cookie: await sessionCookie(user.id),
      body: { types: ["member-claim"], agent: "kimi" },
    });

    expect(res.status).toBe(403);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("pending");
  });
});

describe("unassigned tasks", () => {
  test("a task the router could not place stays unassigned and no agent ever claims it", async () => {
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Qzxv wubbly frobnication", type: "unroutable" },
    });
    expect(created.status).toBe(201);
    expect(created.body.assignee).toBeNull();
    const tokens = await Promise.all(SEEDED_AGENTS.map((a) => fed.token(a)));

    for (const token of tokens) expect((await claimAs(token, { types: ["unroutable"] })).status).toBe(204);
    for (const agent of SEEDED_AGENTS) {
      expect((await call(claim.POST, "POST", { ...admin, body: { types: ["unroutable"], agent } })).status).toBe(204);
    }

    expect(await fed.db.prisma.task.findUniqueOrThrow({ where: { id: created.body.id } })).toMatchObject({
      state: "pending",
      assignee: null,
      claimedBy: null,
    });
  });
});

describe("many claimers at once", () => {
  test("20 concurrent claimers take 100 tasks and every task is claimed exactly once (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    const added = await call(agentList.POST, "POST", { ...admin, body: { name: "swarm", displayName: "Swarm" } });
    expect(added.status).toBe(201);
    const created: string[] = [];
    for (let i = 0; i < 100; i++) created.push((await createTask({ type: "swarm-work", assignee: "swarm" })).id);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => fed.token("swarm")));

    const statuses: number[] = [];
    const byClaimer = await Promise.all(
      tokens.map(async (token) => {
        const mine: string[] = [];
        for (;;) {
          const res = await claimAs(token, { types: ["swarm-work"], leaseSeconds: 600 });
          statuses.push(res.status);
          if (res.status !== 200) return mine;
          mine.push(res.body.id);
          // A queue that handed out tasks twice would never run dry.
          if (mine.length > 100) return mine;
        }
      }),
    );

    expect(statuses.every((s) => s === 200 || s === 204)).toBe(true);
    const all = byClaimer.flat();
    expect(all).toHaveLength(100);
    expect(new Set(all).size).toBe(100);
    expect([...all].sort()).toEqual([...created].sort());
    expect(
      await fed.db.prisma.task.count({ where: { type: "swarm-work", state: "in_progress", claimedBy: "swarm" } }),
    ).toBe(100);
    expect(await fed.db.prisma.task.count({ where: { type: "swarm-work", state: { not: "in_progress" } } })).toBe(0);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { action: "task.claimed", subject: { in: created.map((id) => `task:${id}`) } },
      }),
    ).toBe(100);
  });
});
