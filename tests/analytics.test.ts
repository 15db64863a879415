// Analytics: recording outcomes, hand-computed figures and KPIs to 1e-9 (including agents with 0 and 1
// outcomes), exact time windows over the rollups, honest rankings, and the optimizer's apply and undo.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as outcomes from "@/app/api/v1/outcomes/route";
import * as dashboardRoute from "@/app/api/v1/analytics/dashboard/route";
import * as agentRoute from "@/app/api/v1/analytics/agents/[name]/route";
import * as typeRoute from "@/app/api/v1/analytics/task-types/[type]/route";
import * as leaderboardRoute from "@/app/api/v1/analytics/leaderboard/route";
import * as optimizeRoute from "@/app/api/v1/analytics/optimize/route";
import * as historyRoute from "@/app/api/v1/analytics/optimizer/history/route";
import * as undoRoute from "@/app/api/v1/analytics/optimizer/history/[id]/undo/route";
import * as chartsRoute from "@/app/api/v1/analytics/charts/route";
import * as tasksRoute from "@/app/api/v1/tasks/route";
import * as claimRoute from "@/app/api/v1/tasks/claim/route";
import * as completeRoute from "@/app/api/v1/tasks/[id]/complete/route";
import * as reassignRoute from "@/app/api/v1/tasks/[id]/reassign/route";
import * as retryRoute from "@/app/api/v1/tasks/[id]/retry/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createAgent } from "@/lib/agents/service";
import { autoScheduledShare, handoffsPerDay, routingAccuracy, voteResolutionRate } from "@/lib/analytics/kpis";
import { agentFigures, medianDuration, routingOutcomes, totals } from "@/lib/analytics/metrics";
import { wilson } from "@/lib/analytics/stats";
import { recordOutcome } from "@/lib/outcomes/record";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { migratedDatabase } from "./helpers/database";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const HOUR = 3600_000;

describe("recording outcomes", () => {
  test("the seed's sample (kimi, implementation, success, 25 min) shows in kimi's figures and the dashboard's totals", async () => {
    const before = (await call(dashboardRoute.GET, "GET", admin)).body;
    const kimiBefore = (await call(agentRoute.GET, "GET", { ...admin, params: { name: "kimi" } })).body;

    const res = await call(outcomes.POST, "POST", {
      token: await fed.token("kimi"),
      body: { agent: "kimi", taskType: "implementation", success: true, durationMinutes: 25 },
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      agent: "kimi",
      taskType: "implementation",
      success: true,
      durationMinutes: 25,
      rework: false,
    });
    const after = (await call(dashboardRoute.GET, "GET", admin)).body;
    expect(after.totalTasks).toBe(before.totalTasks + 1);
    const kimi = (await call(agentRoute.GET, "GET", { ...admin, params: { name: "kimi" } })).body;
    expect(kimi.tasks).toBe(kimiBefore.tasks + 1);
    expect(kimi.byTaskType.find((t: { taskType: string }) => t.taskType === "implementation")).toMatchObject({
      tasks: expect.any(Number),
    });
    expect(kimi.recent[0]).toMatchObject({ taskType: "implementation", success: true, durationMinutes: 25 });
    expect(
      await fed.db.prisma.auditEvent.count({ where: { action: "outcome.recorded", subject: "agent:kimi" } }),
    ).toBeGreaterThanOrEqual(1);
  });

  test("an agent records only for itself; a member not at all; bad input is 422", async () => {
    const body = { agent: "kimi", taskType: "implementation", success: true, durationMinutes: 5 };
    expect((await call(outcomes.POST, "POST", { token: await fed.token("copilot"), body })).status).toBe(403);
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "rec-member@example.com",
      name: "M",
      role: "member",
      password: "member-password-1",
    });
    expect((await call(outcomes.POST, "POST", { cookie: await sessionCookie(user.id), body })).status).toBe(403);
    for (const bad of [
      { ...body, durationMinutes: -1 },
      { ...body, taskType: "Not A Slug" },
      { ...body, agent: "nobody-here" },
      { ...body, success: "yes" },
    ]) {
      expect((await call(outcomes.POST, "POST", { ...admin, body: bad })).status).toBe(422);
    }
  });
});

describe("hand-computed figures on a known data set", () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;
  const now = new Date("2026-11-20T12:30:00Z");
  const since = new Date(now.getTime() - 2 * 24 * HOUR);
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);

  beforeAll(async () => {
    db = await migratedDatabase({ install: false });
    for (const name of ["alpha", "beta", "gamma"]) await createAgent(db.prisma, SYSTEM, { name });
    // alpha: 4 builds, 3 succeed, durations 10/20/30/40, one rework, all routed to alpha.
    const alpha = [
      [true, 10, false],
      [true, 20, true],
      [false, 30, false],
      [true, 40, false],
    ] as const;
    for (const [i, [success, durationMinutes, rework]] of alpha.entries()) {
      await recordOutcome(db.prisma, {
        agent: "alpha",
        taskType: "build",
        success,
        durationMinutes,
        rework,
        routedAgent: "alpha",
        at: at(10 + i),
      });
    }
    // beta: one build, a success in 5 minutes, routed to beta. gamma: nothing.
    await recordOutcome(db.prisma, {
      agent: "beta",
      taskType: "build",
      success: true,
      durationMinutes: 5,
      rework: false,
      routedAgent: "beta",
      at: at(3),
    });
    // Outside the window: must not count.
    await recordOutcome(db.prisma, {
      agent: "alpha",
      taskType: "build",
      success: false,
      durationMinutes: 99,
      rework: true,
      routedAgent: "alpha",
      at: at(24 * 3),
    });
    // Tasks: three by hand and one by a rule; votes: two settled by the agents, one by a person.
    await db.prisma.$executeRaw`
      INSERT INTO tasks (id, title, type, created_by, source, created_at, updated_at) VALUES
        ('task-20261120-100000-0001', 'a', 'build', 'x', 'manual', ${at(5)}, ${at(5)}),
        ('task-20261120-100000-0002', 'b', 'build', 'x', 'api', ${at(5)}, ${at(5)}),
        ('task-20261120-100000-0003', 'c', 'build', 'x', 'api', ${at(5)}, ${at(5)}),
        ('task-20261120-100000-0004', 'd', 'build', 'x', 'auto', ${at(5)}, ${at(5)})`;
    await db.prisma.$executeRaw`
      INSERT INTO votes (id, question, options, voters, status, decided_by, created_by, resolved_at) VALUES
        ('vote-20261120-100000-0001', 'q', '{a,b}', '{alpha}', 'decided', NULL, 'x', ${at(4)}),
        ('vote-20261120-100000-0002', 'q', '{a,b}', '{alpha}', 'decided', NULL, 'x', ${at(4)}),
        ('vote-20261120-100000-0003', 'q', '{a,b}', '{alpha}', 'decided', 'reuben', 'x', ${at(4)}),
        ('vote-20261120-100000-0004', 'q', '{a,b}', '{alpha}', 'open', NULL, 'x', NULL)`;
    // Two escalations and one manual reassignment in the window (plus one reassignment that settled an escalation).
    await db.prisma.$executeRaw`
      INSERT INTO escalations (id, kind, subject_id, reason, created_at) VALUES
        ('esc-20261120-100000-0001', 'task', 'task-20261120-100000-0001', 'r', ${at(6)}),
        ('esc-20261120-100000-0002', 'routing', 'task-20261120-100000-0002', 'r', ${at(7)})`;
    await db.prisma.$executeRaw`
      INSERT INTO audit_events (actor, action, subject, details, at) VALUES
        ('reuben', 'task.reassigned', 'task:task-20261120-100000-0003', '{"from":"alpha","to":"beta"}', ${at(2)}),
        ('reuben', 'task.reassigned', 'task:task-20261120-100000-0001', '{"from":"alpha","to":"beta","escalation":"esc-20261120-100000-0001"}', ${at(1)}),
        ('system', 'federation.created', 'federation', '{}', ${at(24 * 10)})`;
  });
  afterAll(() => db.drop());

  test("success rate, average and median duration, rework rate and the Wilson bound per agent — 0 and 1 outcomes included", async () => {
    const figures = await agentFigures(db.prisma, since);
    const alpha = figures.find((f) => f.agent === "alpha")!;
    expect(alpha.tasks).toBe(4);
    expect(alpha.successRate).toBeCloseTo(0.75, 9);
    expect(alpha.avgDurationMinutes).toBeCloseTo(25, 9);
    expect(alpha.reworkRate).toBeCloseTo(0.25, 9);
    expect(alpha.interval[0]).toBeCloseTo(wilson(3, 4).low, 9);
    expect(alpha.interval[0]).toBeCloseTo(0.30064184258, 9);
    expect(await medianDuration(db.prisma, "alpha", since)).toBeCloseTo(25, 9);
    const beta = figures.find((f) => f.agent === "beta")!;
    expect(beta).toMatchObject({ tasks: 1, successes: 1, successRate: 1, reworkRate: 0, avgDurationMinutes: 5 });
    expect(beta.rating).toBeCloseTo(0.20654931438, 9);
    expect(await medianDuration(db.prisma, "beta", since)).toBeCloseTo(5, 9);
    expect(figures.find((f) => f.agent === "gamma")).toBeUndefined();
    expect(await medianDuration(db.prisma, "gamma", since)).toBeNull();
    // alpha ranks above beta: 3 of 4 is better evidence than 1 of 1.
    expect(figures.map((f) => f.agent)).toEqual(["alpha", "beta"]);
    // All time includes the old failure: 3 of 5, median of 10, 20, 30, 40, 99 = 30.
    const allTime = (await agentFigures(db.prisma)).find((f) => f.agent === "alpha")!;
    expect(allTime.successRate).toBeCloseTo(0.6, 9);
    expect(await medianDuration(db.prisma, "alpha")).toBeCloseTo(30, 9);
  });

  test("each phase KPI matches its hand-computed value", async () => {
    expect((await autoScheduledShare(db.prisma, since)).value).toBeCloseTo(1 / 4, 9);
    const votes = await voteResolutionRate(db.prisma, since);
    expect(votes.value).toBeCloseTo(2 / 3, 9);
    expect(votes.enoughData).toBe(false); // three votes say little
    const routing = await routingAccuracy(db.prisma, since);
    // routed outcomes done by the routed agent: alpha 3 of 4 and beta 1 of 1 → 4 of 5.
    expect(routing.value).toBeCloseTo(4 / 5, 9);
    // best at build in hindsight: alpha (Wilson low 0.30 > 0.21); 4 of the 5 routed outcomes were routed to it.
    expect(routing.agreement).toBeCloseTo(4 / 5, 9);
    const handoffs = await handoffsPerDay(db.prisma, since, now);
    expect(handoffs).toMatchObject({ escalations: 2, reassignments: 1 });
    expect(handoffs.value).toBeCloseTo(3 / 2, 9);
    expect(handoffs.status).toBe("ok");
  });

  test("a window starting mid-hour counts exactly the outcomes after its start", async () => {
    // alpha's outcomes are at 10, 11, 12 and 13 hours ago (on the half hour): start the window 11h15m ago.
    const mid = new Date(now.getTime() - (11 * HOUR + 15 * 60_000));
    expect((await totals(db.prisma, mid)).outcomes).toBe(3); // 10 h and 11 h ago for alpha, and beta's
    const justBefore = new Date(now.getTime() - (11 * HOUR + 1000));
    expect((await totals(db.prisma, justBefore)).outcomes).toBe(3);
    const justAfter = new Date(now.getTime() - (11 * HOUR - 1000));
    expect((await totals(db.prisma, justAfter)).outcomes).toBe(2);
  });
});

describe("rankings that stay honest", () => {
  test("an agent with 3/3 successes ranks below one with 90/100", async () => {
    for (const name of ["lucky-three", "steady-ninety"])
      await call((await import("@/app/api/v1/agents/route")).POST, "POST", { ...admin, body: { name } });
    for (let i = 0; i < 3; i++)
      await recordOutcome(fed.db.prisma, {
        agent: "lucky-three",
        taskType: "rank-check",
        success: true,
        durationMinutes: 10,
        rework: false,
      });
    for (let i = 0; i < 100; i++)
      await recordOutcome(fed.db.prisma, {
        agent: "steady-ninety",
        taskType: "rank-check",
        success: i < 90,
        durationMinutes: 10,
        rework: false,
      });

    const res = await call(leaderboardRoute.GET, "GET", { ...admin, query: { taskType: "rank-check" } });

    expect(res.body.items.map((i: { agent: string }) => i.agent)).toEqual(["steady-ninety", "lucky-three"]);
    expect(res.body.items[1]).toMatchObject({ tasks: 3, successes: 3, successRate: 1 });
    expect(res.body.items[1].interval[0]).toBeLessThan(res.body.items[0].interval[0]);
    const byType = await call(typeRoute.GET, "GET", { ...admin, params: { type: "rank-check" } });
    expect(byType.body.agents.map((a: { agent: string }) => a.agent)).toEqual(["steady-ninety", "lucky-three"]);
  });
});

describe("routing accuracy counts routed tasks, not attempts", () => {
  // Through the real queue: a task created without assignee is routed; what the KPI counts is how it ended.
  async function routedTask(): Promise<{ id: string; routedTo: string }> {
    const res = await call(tasksRoute.POST, "POST", {
      ...admin,
      body: { title: `Research vector databases ${Math.random().toString(36).slice(2, 8)}`, type: "research" },
    });
    expect(res.status).toBe(201);
    expect(res.body.routing.agent).toBeTruthy();
    expect(res.body.assignee).toBe(res.body.routing.agent);
    return { id: res.body.id, routedTo: res.body.routing.agent };
  }
  async function attempt(agent: string, id: string, body: Record<string, unknown>) {
    const token = await fed.token(agent);
    const c = await call(claimRoute.POST, "POST", { token, body: { types: ["research"] } });
    expect(c.body.id).toBe(id);
    const done = await call(completeRoute.POST, "POST", { token, lease: c.body.leaseToken, params: { id }, body });
    expect(done.status).toBe(200);
  }
  const counts = async () => {
    const r = await routingOutcomes(fed.db.prisma);
    return { routed: r.routedTasks, byRouted: r.completedByRouted, byOther: r.completedByOther };
  };
  const delta = (a: Awaited<ReturnType<typeof counts>>, b: Awaited<ReturnType<typeof counts>>) => ({
    routed: b.routed - a.routed,
    byRouted: b.byRouted - a.byRouted,
    byOther: b.byOther - a.byOther,
  });

  test("a retry then a success is one routed task completed by the routed agent, and the outcome names the routed agent", async () => {
    const before = await counts();
    const { id, routedTo } = await routedTask();
    await attempt(routedTo, id, { success: false, retry: true, summary: "flaky network" });
    expect(delta(before, await counts())).toEqual({ routed: 0, byRouted: 0, byOther: 0 }); // not ended yet
    await attempt(routedTo, id, { success: true, summary: "done" });
    expect(delta(before, await counts())).toEqual({ routed: 1, byRouted: 1, byOther: 0 });
    const written = await fed.db.prisma.outcome.findMany({ where: { taskId: id }, orderBy: { id: "asc" } });
    expect(written.map((o) => [o.success, o.routedAgent, o.endsTask])).toEqual([
      [false, routedTo, false],
      [true, routedTo, true],
    ]);
  });

  test("a routed task another agent finished counts against accuracy and shows as saved by a fallback", async () => {
    const before = await counts();
    const { id, routedTo } = await routedTask();
    const other = routedTo === "kimi" ? "claude" : "kimi";
    const moved = await call(reassignRoute.POST, "POST", { ...admin, params: { id }, body: { assignee: other } });
    expect(moved.status).toBe(200);
    await attempt(other, id, { success: true, summary: "done by the other" });
    expect(delta(before, await counts())).toEqual({ routed: 1, byRouted: 0, byOther: 1 });
    const kpi = (await call(dashboardRoute.GET, "GET", admin)).body.kpis.routingAccuracy;
    const all = await counts();
    expect(kpi.samples).toBe(all.routed);
    expect(kpi.value).toBeCloseTo(all.byRouted / all.routed, 9);
    expect(kpi.fallbackSaved).toBe(all.byOther);
  });

  test("a final failure, a person's retry and a success count as one task, completed by the routed agent", async () => {
    const before = await counts();
    const { id, routedTo } = await routedTask();
    await attempt(routedTo, id, { success: false, summary: "gave up" });
    expect(delta(before, await counts())).toEqual({ routed: 1, byRouted: 0, byOther: 0 }); // ended failed
    const retried = await call(retryRoute.POST, "POST", { ...admin, params: { id }, body: {} });
    expect(retried.status).toBe(200);
    expect(delta(before, await counts())).toEqual({ routed: 0, byRouted: 0, byOther: 0 }); // open again
    await attempt(routedTo, id, { success: true, summary: "second time lucky" });
    expect(delta(before, await counts())).toEqual({ routed: 1, byRouted: 1, byOther: 0 });
  });
});

describe("the optimizer", () => {
  test("flags a planted low performer with its evidence; a dry run changes nothing; apply then undo restores the rules exactly", async () => {
    for (let i = 0; i < 40; i++) {
      await recordOutcome(fed.db.prisma, {
        agent: "kimi",
        taskType: "opt-check",
        success: i % 10 !== 0,
        durationMinutes: 10,
        rework: false,
      });
      await recordOutcome(fed.db.prisma, {
        agent: "copilot",
        taskType: "opt-check",
        success: i % 10 !== 0,
        durationMinutes: 10,
        rework: false,
      });
      await recordOutcome(fed.db.prisma, {
        agent: "ollama",
        taskType: "opt-check",
        success: i % 4 === 0,
        durationMinutes: 10,
        rework: false,
      });
    }
    await call((await import("@/app/api/v1/routing-rules/route")).POST, "POST", {
      ...admin,
      body: { agent: "ollama", kind: "type", pattern: "opt-check", weight: 0.9 },
    });
    const rulesNow = async () =>
      (await fed.db.prisma.routingRule.findMany({ orderBy: { id: "asc" } })).map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      }));
    const before = await rulesNow();

    const dry = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: true } });

    expect(dry.status).toBe(200);
    expect(dry.body.applied).toBe(false);
    const low = dry.body.suggestions.find(
      (s: { agent: string; taskType: string }) => s.agent === "ollama" && s.taskType === "opt-check",
    );
    expect(low).toMatchObject({
      kind: "avoid",
      evidence: { tasks: 40, successes: 10, successRate: 0.25, ruleWeight: 0.9, proposedWeight: 0.6 },
    });
    expect(low.evidence.interval[1]).toBeLessThan(low.evidence.typeRate);
    expect(low.evidence.certainty).toBeGreaterThan(0.99);
    expect(low.reason).toMatch(/ollama succeeds at opt-check only 25%/);
    expect(await rulesNow()).toEqual(before);

    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "opt-member@example.com",
      name: "M",
      role: "member",
      password: "member-password-1",
    });
    expect(
      (await call(optimizeRoute.POST, "POST", { cookie: await sessionCookie(user.id), body: { dryRun: false } }))
        .status,
    ).toBe(403);
    expect(
      (await call(optimizeRoute.POST, "POST", { cookie: await sessionCookie(user.id), body: { dryRun: true } })).status,
    ).toBe(200);

    const applied = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: false } });
    expect(applied.body.applied).toBe(true);
    expect(
      (
        await fed.db.prisma.routingRule.findFirstOrThrow({
          where: { agent: "ollama", kind: "type", pattern: "opt-check" },
        })
      ).weight,
    ).toBe(0.6);
    expect(await rulesNow()).not.toEqual(before);
    expect(await fed.db.prisma.auditEvent.count({ where: { action: "optimizer.applied" } })).toBeGreaterThanOrEqual(1);
    const history = await call(historyRoute.GET, "GET", admin);
    expect(history.body.items[0]).toMatchObject({ id: applied.body.change.id, undoneAt: null });

    const undone = await call(undoRoute.POST, "POST", { ...admin, params: { id: applied.body.change.id } });

    expect(undone.status).toBe(200);
    expect(undone.body.undoneBy).toBe("admin-token");
    expect(await rulesNow()).toEqual(before);
    expect((await call(undoRoute.POST, "POST", { ...admin, params: { id: applied.body.change.id } })).status).toBe(409);
    expect(await fed.db.prisma.auditEvent.count({ where: { action: "optimizer.undone" } })).toBe(1);
  });

  test("an undo out of order, or over a person's edit made since, is refused with the reason and changes nothing", async () => {
    for (let i = 0; i < 40; i++)
      for (const [agent, ok] of [
        ["kimi", i % 10 !== 0],
        ["claude", i % 10 !== 0],
        ["copilot", i % 4 === 0],
      ] as const)
        await recordOutcome(fed.db.prisma, {
          agent,
          taskType: "opt-order",
          success: ok,
          durationMinutes: 5,
          rework: false,
        });
    const rules = await import("@/app/api/v1/routing-rules/route");
    const ruleOne = await import("@/app/api/v1/routing-rules/[id]/route");
    const created = await call(rules.POST, "POST", {
      ...admin,
      body: { agent: "copilot", kind: "type", pattern: "opt-order", weight: 0.9 },
    });
    const ruleId = created.body.id as string;
    const weight = async () => (await fed.db.prisma.routingRule.findUniqueOrThrow({ where: { id: ruleId } })).weight;

    const a = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: false } });
    expect(await weight()).toBe(0.6);
    // A person sets the weight by hand; the optimizer, applied again, lowers it from there.
    expect(
      (await call(ruleOne.PATCH, "PATCH", { ...admin, params: { id: ruleId }, body: { weight: 0.8 } })).status,
    ).toBe(200);
    const b = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: false } });
    expect(await weight()).toBe(0.5);

    const outOfOrder = await call(undoRoute.POST, "POST", { ...admin, params: { id: a.body.change.id } });
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body.detail).toContain(`undo that change first`);
    expect(outOfOrder.body.detail).toContain(b.body.change.id);
    expect(await weight()).toBe(0.5);

    expect((await call(undoRoute.POST, "POST", { ...admin, params: { id: b.body.change.id } })).status).toBe(200);
    expect(await weight()).toBe(0.8); // the person's weight, as b found it

    const overEdit = await call(undoRoute.POST, "POST", { ...admin, params: { id: a.body.change.id } });
    expect(overEdit.status).toBe(409);
    expect(overEdit.body.detail).toMatch(
      /edited since this change \(weight now 0\.8, this change set 0\.6; by admin-token/,
    );
    expect(await weight()).toBe(0.8);
    expect(
      (await fed.db.prisma.optimizerChange.findUniqueOrThrow({ where: { id: a.body.change.id } })).undoneAt,
    ).toBeNull();
  });
});

describe("the charts", () => {
  test("the Analytics page's series come in one answer, with a window", async () => {
    const res = await call(chartsRoute.GET, "GET", { ...admin, query: { window: "7d" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      totals: expect.any(Object),
      agents: expect.any(Array),
      matrix: expect.any(Array),
      trend: expect.any(Array),
    });
    expect(res.body.durations.buckets).toHaveLength(6);
    expect((await call(chartsRoute.GET, "GET", { ...admin, query: { window: "1y" } })).status).toBe(422);
  });
});
