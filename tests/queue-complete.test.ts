// Finishing tasks: completions and their outcomes, idempotent repeats, failures with retry, and what
// people do afterwards: cancel, retry a failed task, reassign.
import { beforeAll, describe, expect, test } from "vitest";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as cancel from "@/app/api/v1/tasks/[id]/cancel/route";
import * as retry from "@/app/api/v1/tasks/[id]/retry/route";
import * as reassign from "@/app/api/v1/tasks/[id]/reassign/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as escalationOne from "@/app/api/v1/escalations/[id]/route";
import { completeFast } from "@/lib/queue/complete-task";
import { call, leaseOf } from "./helpers/api";
import { admin, seededFederation, signedIn, taskMaker } from "./helpers/fixtures";

const fed = seededFederation();
let memberCookie: string;
let otherMemberCookie: string;
let viewerCookie: string;

beforeAll(async () => {
  memberCookie = await signedIn(fed.db, "member", "maker@example.com");
  otherMemberCookie = await signedIn(fed.db, "member", "bystander@example.com");
  viewerCookie = await signedIn(fed.db, "viewer", "onlooker@example.com");
});

const createTask = taskMaker("Completion task");

async function createAndClaim(agent: string, type: string, extra: Record<string, unknown> = {}): Promise<any> {
  const t = await createTask({ type, assignee: agent, ...extra });
  await claimAgain(agent, type, t.id);
  return t;
}

async function claimAgain(agent: string, type: string, id: string): Promise<void> {
  const res = await call(claim.POST, "POST", { token: await fed.agentToken(agent), body: { types: [type] } });
  expect(res.status).toBe(200);
  expect(res.body.id).toBe(id);
}

const finish = async (agent: string, id: string, body: Record<string, unknown>) =>
  call(complete.POST, "POST", { token: await fed.agentToken(agent), lease: leaseOf(id), params: { id }, body });
const row = (id: string) => fed.db.prisma.task.findUniqueOrThrow({ where: { id } });
const openTaskEscalations = async (id: string) =>
  (await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } })).body.items.filter(
    (e: { subjectId: string }) => e.subjectId === id,
  );

describe("completing", () => {
  test("a completion records an outcome row and the task shows its outcome and when it completed", async () => {
    const t = await createAndClaim("kimi", "complete-ok");
    const before = Date.now();

    const res = await finish("kimi", t.id, {
      success: true,
      durationMinutes: 42,
      rework: true,
      summary: "Done and dusted",
      output: { pr: 17 },
    });

    expect(res.status).toBe(200);
    expect(res.body.followUps).toEqual([]);
    expect(res.body.task).toMatchObject({
      id: t.id,
      state: "completed",
      leaseExpiresAt: null,
      outcome: {
        agent: "kimi",
        success: true,
        durationMinutes: 42,
        rework: true,
        summary: "Done and dusted",
        output: { pr: 17 },
      },
    });
    expect(new Date(res.body.task.completedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const outcomes = await fed.db.prisma.$queryRaw<
      {
        agent: string;
        task_type: string;
        success: boolean;
        task_id: string;
        duration_minutes: number;
        rework: boolean;
      }[]
    >`
      SELECT agent, task_type, success, task_id, duration_minutes, rework FROM outcomes WHERE task_id = ${t.id}`;
    expect(outcomes).toEqual([
      { agent: "kimi", task_type: "complete-ok", success: true, task_id: t.id, duration_minutes: 42, rework: true },
    ]);

    const detail = await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } });
    expect(detail.body).toMatchObject({
      state: "completed",
      completedAt: res.body.task.completedAt,
      outcome: res.body.task.outcome,
    });
    expect(detail.body.events[0]).toMatchObject({ action: "task.completed", actor: "kimi" });
  });

  test("a completion without durationMinutes measures it from the claim", async () => {
    const t = await createAndClaim("kimi", "complete-measured");
    await fed.db.prisma.$executeRaw`UPDATE tasks SET claimed_at = now() - interval '30 minutes' WHERE id = ${t.id}`;

    const res = await finish("kimi", t.id, { success: true });

    expect(res.body.task.outcome.durationMinutes).toBeGreaterThanOrEqual(29.9);
    expect(res.body.task.outcome.durationMinutes).toBeLessThan(31);
    const [o] = await fed.db.prisma.outcome.findMany({ where: { taskId: t.id } });
    expect(o!.durationMinutes).toBeCloseTo(res.body.task.outcome.durationMinutes, 5);
  });

  test("completing twice with the same body answers 200 with an identical body and records one outcome", async () => {
    const t = await createAndClaim("kimi", "complete-twice");
    const body = {
      success: true,
      durationMinutes: 12.5,
      summary: "shipped",
      output: { url: "https://example.com", checks: [1, 2, 3] },
    };

    const first = await finish("kimi", t.id, body);
    const second = await finish("kimi", t.id, body);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id } })).toBe(1);
    expect(await fed.db.prisma.auditEvent.count({ where: { subject: `task:${t.id}`, action: "task.completed" } })).toBe(
      1,
    );
  });

  test("a different completion of a completed task is 409 and changes nothing", async () => {
    const t = await createAndClaim("kimi", "complete-conflict");
    const first = await finish("kimi", t.id, { success: true, summary: "first" });
    expect(first.status).toBe(200);

    for (const body of [{ success: false }, { success: true, summary: "second" }]) {
      const res = await finish("kimi", t.id, body);
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }

    expect((await row(t.id)).outcome).toMatchObject({ success: true, summary: "first" });
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id } })).toBe(1);
  });

  test("a failure with retry and attempts left goes back to pending with attempts + 1, and can be claimed again", async () => {
    const t = await createAndClaim("kimi", "retry-left", { maxAttempts: 3 });

    const res = await finish("kimi", t.id, { success: false, retry: true, summary: "flaky network" });

    expect(res.status).toBe(200);
    expect(res.body.task).toMatchObject({
      state: "pending",
      attempts: 1,
      claimedBy: null,
      leaseExpiresAt: null,
      completedAt: null,
    });
    expect(
      await fed.db.prisma.outcome.findMany({ where: { taskId: t.id }, select: { agent: true, success: true } }),
    ).toEqual([{ agent: "kimi", success: false }]);
    expect(await openTaskEscalations(t.id)).toEqual([]);
    await claimAgain("kimi", "retry-left", t.id);
    expect((await row(t.id)).attempts).toBe(1);
  });

  test("repeating a failure-with-retry call is idempotent too: the same body, no second attempt used", async () => {
    const t = await createAndClaim("kimi", "retry-repeat", { maxAttempts: 3 });
    const body = { success: false, retry: true, summary: "try later" };
    const first = await finish("kimi", t.id, body);
    const second = await finish("kimi", t.id, body);
    expect(second.status).toBe(200);
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
    expect((await row(t.id)).attempts).toBe(1);
  });

  test("a failure with retry on the last attempt fails the task and opens a task escalation", async () => {
    const t = await createAndClaim("kimi", "retry-exhausted", { maxAttempts: 2 });
    const body = { success: false, retry: true, summary: "broken again" };

    const once = await finish("kimi", t.id, body);
    expect(once.body.task).toMatchObject({ state: "pending", attempts: 1 });
    await claimAgain("kimi", "retry-exhausted", t.id);
    // The agent reports the same failure the same way on its second attempt.
    const twice = await finish("kimi", t.id, body);

    expect(twice.status).toBe(200);
    expect(twice.body.task).toMatchObject({ state: "failed", attempts: 2 });
    expect(twice.body.task.completedAt).not.toBeNull();
    expect(await openTaskEscalations(t.id)).toHaveLength(1);
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id, success: false } })).toBe(2);
  });

  test("a failure with retry on the last attempt, reported differently each time, fails the task with an escalation", async () => {
    const t = await createAndClaim("kimi", "retry-exhausted-2", { maxAttempts: 2 });
    expect((await finish("kimi", t.id, { success: false, retry: true, summary: "attempt one" })).body.task.state).toBe(
      "pending",
    );
    await claimAgain("kimi", "retry-exhausted-2", t.id);

    const last = await finish("kimi", t.id, { success: false, retry: true, summary: "attempt two" });

    expect(last.body.task).toMatchObject({ state: "failed", attempts: 2 });
    const open = await openTaskEscalations(t.id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: "task", state: "open", subjectId: t.id });
  });

  test("a failure without retry fails the task at once and records a failed outcome", async () => {
    const t = await createAndClaim("kimi", "fail-now", { maxAttempts: 3 });
    const res = await finish("kimi", t.id, { success: false, summary: "not possible" });
    expect(res.body.task).toMatchObject({ state: "failed", outcome: { success: false } });
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id, success: false } })).toBe(1);
  });

  test("completing after the lease ran out is 409", async () => {
    const t = await createAndClaim("kimi", "complete-late");
    await fed.db.prisma.$executeRaw`UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ${t.id}`;
    const res = await finish("kimi", t.id, { success: true });
    expect(res.status).toBe(409);
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id } })).toBe(0);
  });

  test("completing a task that was never claimed is 409", async () => {
    const t = await createTask({ type: "complete-unclaimed", assignee: "kimi" });
    expect((await finish("kimi", t.id, { success: true })).status).toBe(409);
    expect((await row(t.id)).state).toBe("pending");
  });
});

describe("one completion, two paths", () => {
  // The common success runs as one SQL statement; the general path (here: a schedule rule might fire) in a
  // transaction. For the same call both record the same, to the byte.
  const recorded = async (id: string) => {
    const [t] = await fed.db.prisma.$queryRaw<{ state: string; attempts: number; outcome: string }[]>`
      SELECT state::text, attempts, outcome::text FROM tasks WHERE id = ${id}`;
    const outcomes = await fed.db.prisma.$queryRaw<unknown[]>`
      SELECT agent, task_type, success, duration_minutes, rework, description, routed_agent, reason, ends_task
      FROM outcomes WHERE task_id = ${id}`;
    const events = await fed.db.prisma.$queryRaw<unknown[]>`
      SELECT actor, action, details::text FROM audit_events WHERE subject = ${`task:${id}`} AND action = 'task.completed'`;
    const samples = await fed.db.prisma.$queryRaw<unknown[]>`
      SELECT text, type, agent, success, source FROM routing_samples WHERE task_id = ${id}`;
    return { task: t, outcomes, events, samples };
  };

  test.each([
    [
      "with everything said",
      { durationMinutes: 12.5, summary: "Done.", output: { files: 3 }, verdict: "approved" as const, rework: true },
    ],
    ["with nothing but success (the minutes held are the database's)", {}],
  ])("fast and general paths record byte-identical outcomes, audit details and samples: %s", async (_, extra) => {
    const type = `two-paths-${Math.random().toString(36).slice(2, 8)}`;
    const body = { success: true, ...extra };
    const agent = "kimi";
    const actor = { kind: "agent" as const, role: "agent" as const, agent, tokenId: agent, label: agent };
    // Both tasks the same in all but id, claimed and held 90.3 minutes (the middle of a rounding step).
    const hold = (id: string) =>
      fed.db.prisma.$executeRaw`UPDATE tasks SET claimed_at = now() - interval '90.3 minutes' WHERE id = ${id}`;
    const a = await createAndClaim(agent, type, { title: "The same task" });
    await hold(a.id);
    expect(await completeFast(fed.db.prisma, actor, a.id, body, leaseOf(a.id))).not.toBeNull();

    const b = await createAndClaim(agent, type, { title: "The same task" });
    await fed.db.prisma.federationState.upsert({
      where: { id: 1 },
      create: { id: 1, autoScheduling: true },
      update: { autoScheduling: true },
    });
    const rule = await fed.db.prisma.scheduleRule.create({
      data: { id: `rule-${type}`, name: "Never fires", whenType: type, whenAgent: "copilot", then: [] },
    });
    try {
      await hold(b.id);
      expect(await completeFast(fed.db.prisma, actor, b.id, body, leaseOf(b.id))).toBeNull();
      const res = await finish(agent, b.id, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      await fed.db.prisma.scheduleRule.delete({ where: { id: rule.id } });
      await fed.db.prisma.federationState.update({ where: { id: 1 }, data: { autoScheduling: false } });
    }
    const [fast, general] = [await recorded(a.id), await recorded(b.id)];
    expect(fast.outcomes).toHaveLength(1);
    expect(fast.events).toHaveLength(1);
    expect(fast.samples).toHaveLength(1);
    expect(general).toEqual(fast);
    expect(JSON.parse(fast.task!.outcome).durationMinutes).toBe("durationMinutes" in extra ? 12.5 : 90.3);
  });
});

describe("cancelling", () => {
  test("a member who did not create a task may not cancel it; its creator may", async () => {
    const t = await createTask({ type: "cancel-me", assignee: "claude" }, { cookie: memberCookie });
    expect(t.createdBy).toBe("maker@example.com");

    const stranger = await call(cancel.POST, "POST", { cookie: otherMemberCookie, params: { id: t.id }, body: {} });
    expect(stranger.status).toBe(403);
    expect(stranger.headers.get("content-type")).toContain("application/problem+json");
    expect((await row(t.id)).state).toBe("pending");
    expect((await call(cancel.POST, "POST", { cookie: viewerCookie, params: { id: t.id }, body: {} })).status).toBe(
      403,
    );
    expect(
      (await call(cancel.POST, "POST", { token: await fed.agentToken("claude"), params: { id: t.id }, body: {} }))
        .status,
    ).toBe(403);

    const byCreator = await call(cancel.POST, "POST", {
      cookie: memberCookie,
      params: { id: t.id },
      body: { reason: "no longer needed" },
    });

    expect(byCreator.status).toBe(200);
    expect(byCreator.body).toMatchObject({ id: t.id, state: "cancelled" });
    expect((await row(t.id)).state).toBe("cancelled");
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.cancelled", subject: `task:${t.id}` },
    });
    expect(event).toMatchObject({
      actor: "maker@example.com",
      details: { from: "pending", reason: "no longer needed" },
    });
    expect(
      (await call(claim.POST, "POST", { token: await fed.agentToken("claude"), body: { types: ["cancel-me"] } }))
        .status,
    ).toBe(204);
  });

  test("an admin may cancel a task someone else created, even while an agent holds it; the holder then cannot complete it", async () => {
    const t = await createAndClaim("copilot", "cancel-held");
    const res = await call(cancel.POST, "POST", { ...admin, params: { id: t.id }, body: {} });
    expect(res.body).toMatchObject({ state: "cancelled", claimedBy: null, leaseExpiresAt: null });
    expect((await finish("copilot", t.id, { success: true })).status).toBe(409);
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id } })).toBe(0);
  });

  test("cancelling a completed task is 409", async () => {
    const t = await createAndClaim("copilot", "cancel-done");
    expect((await finish("copilot", t.id, { success: true })).status).toBe(200);

    const res = await call(cancel.POST, "POST", { ...admin, params: { id: t.id }, body: {} });

    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect((await row(t.id)).state).toBe("completed");
  });
});

describe("retrying a failed task", () => {
  async function failedWithEscalation(type: string): Promise<{ id: string; escalationId: string }> {
    const t = await createAndClaim("ollama", type, { maxAttempts: 1 });
    expect(
      (await finish("ollama", t.id, { success: false, retry: true, summary: `${type} gave up` })).body.task.state,
    ).toBe("failed");
    const open = await openTaskEscalations(t.id);
    expect(open).toHaveLength(1);
    return { id: t.id, escalationId: open[0].id };
  }

  test("an admin's retry puts a failed task back to pending with attempts 0 and resolves its open escalation", async () => {
    const { id, escalationId } = await failedWithEscalation("retry-admin");

    const res = await call(retry.POST, "POST", { ...admin, params: { id } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      state: "pending",
      attempts: 0,
      claimedBy: null,
      completedAt: null,
      leaseExpiresAt: null,
    });
    const escalation = await call(escalationOne.GET, "GET", { ...admin, params: { id: escalationId } });
    expect(escalation.body).toMatchObject({
      state: "resolved",
      resolvedBy: "admin-token",
      resolvedAt: expect.any(String),
    });
    expect(await openTaskEscalations(id)).toEqual([]);
    expect(await fed.db.prisma.auditEvent.count({ where: { action: "task.retried", subject: `task:${id}` } })).toBe(1);
    await claimAgain("ollama", "retry-admin", id);
  });

  test("a retried task that fails the same way again fails again and escalates again", async () => {
    const { id } = await failedWithEscalation("retry-again");
    expect((await call(retry.POST, "POST", { ...admin, params: { id } })).status).toBe(200);
    await claimAgain("ollama", "retry-again", id);

    const res = await finish("ollama", id, { success: false, retry: true, summary: "retry-again gave up" });

    expect(res.body.task).toMatchObject({ state: "failed", attempts: 1 });
    expect(await openTaskEscalations(id)).toHaveLength(1);
  });

  test("a member may not retry a failed task, and a pending task cannot be retried", async () => {
    const { id } = await failedWithEscalation("retry-refused");
    expect((await call(retry.POST, "POST", { cookie: memberCookie, params: { id } })).status).toBe(403);
    expect((await call(retry.POST, "POST", { token: await fed.agentToken("ollama"), params: { id } })).status).toBe(
      403,
    );
    expect((await row(id)).state).toBe("failed");
    const pending = await createTask({ type: "retry-refused", assignee: "ollama" });
    expect((await call(retry.POST, "POST", { ...admin, params: { id: pending.id } })).status).toBe(409);
  });
});

describe("reassigning", () => {
  test("an admin reassigns a pending task: the assignee changes, the event is logged, and the new assignee claims it", async () => {
    const t = await createTask({ type: "reassign-me", assignee: "kimi" });

    const res = await call(reassign.POST, "POST", {
      ...admin,
      params: { id: t.id },
      body: { assignee: "kimi-ide", note: "kimi is busy" },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, assignee: "kimi-ide", state: "pending" });
    expect((await row(t.id)).assignee).toBe("kimi-ide");
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.reassigned", subject: `task:${t.id}` },
    });
    expect(event).toMatchObject({
      actor: "admin-token",
      details: { from: "kimi", to: "kimi-ide", note: "kimi is busy" },
    });
    expect(
      (await call(claim.POST, "POST", { token: await fed.agentToken("kimi"), body: { types: ["reassign-me"] } }))
        .status,
    ).toBe(204);
    await claimAgain("kimi-ide", "reassign-me", t.id);
  });

  test("reassigning a failed task hands it to the new agent as a fresh pending task and resolves its escalation", async () => {
    const t = await createAndClaim("kimi", "reassign-failed", { maxAttempts: 1 });
    expect((await finish("kimi", t.id, { success: false, retry: true })).body.task.state).toBe("failed");
    expect(await openTaskEscalations(t.id)).toHaveLength(1);

    const res = await call(reassign.POST, "POST", { ...admin, params: { id: t.id }, body: { assignee: "copilot" } });

    expect(res.body).toMatchObject({ assignee: "copilot", state: "pending", attempts: 0, completedAt: null });
    expect(await openTaskEscalations(t.id)).toEqual([]);
    await claimAgain("copilot", "reassign-failed", t.id);
  });

  test("a reassigned failed task no longer names its old holder", async () => {
    const t = await createAndClaim("kimi", "reassign-holder", { maxAttempts: 1 });
    expect((await finish("kimi", t.id, { success: false })).body.task.state).toBe("failed");

    const res = await call(reassign.POST, "POST", { ...admin, params: { id: t.id }, body: { assignee: "copilot" } });

    // retryTask clears the old holder; a reassigned task is just as unclaimed.
    expect(res.body).toMatchObject({ state: "pending", claimedBy: null, leaseExpiresAt: null });
    expect((await row(t.id)).claimedBy).toBeNull();
  });

  test("a member may not reassign, an unknown agent is 422, and a task in progress cannot be reassigned", async () => {
    const t = await createTask({ type: "reassign-refused", assignee: "kimi" }, { cookie: memberCookie });

    const byMember = await call(reassign.POST, "POST", {
      cookie: memberCookie,
      params: { id: t.id },
      body: { assignee: "copilot" },
    });
    expect(byMember.status).toBe(403);
    expect(byMember.headers.get("content-type")).toContain("application/problem+json");
    expect(
      (
        await call(reassign.POST, "POST", {
          token: await fed.agentToken("kimi"),
          params: { id: t.id },
          body: { assignee: "copilot" },
        })
      ).status,
    ).toBe(403);
    const unknown = await call(reassign.POST, "POST", {
      ...admin,
      params: { id: t.id },
      body: { assignee: "nobody-here" },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe("assignee");
    expect((await row(t.id)).assignee).toBe("kimi");
    expect(
      await fed.db.prisma.auditEvent.count({ where: { action: "task.reassigned", subject: `task:${t.id}` } }),
    ).toBe(0);

    await claimAgain("kimi", "reassign-refused", t.id);
    expect(
      (await call(reassign.POST, "POST", { ...admin, params: { id: t.id }, body: { assignee: "copilot" } })).status,
    ).toBe(409);
  });
});
