// Leases: heartbeats, releases, holders, and what happens when a lease runs out — through the next claim
// and through the sweep (reapExpiredLeases) — up to failing the task and escalating it.
import { describe, expect, test } from "vitest";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as reassign from "@/app/api/v1/tasks/[id]/reassign/route";
import * as agentAnalytics from "@/app/api/v1/analytics/agents/[name]/route";
import * as escalations from "@/app/api/v1/escalations/route";
import { SYSTEM } from "@/lib/auth/actor";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, leaseOf } from "./helpers/api";
import { admin, seededFederation, taskMaker } from "./helpers/fixtures";

const fed = seededFederation();

const createTask = taskMaker("Lease task");

async function createAndClaim(
  agent: string,
  type: string,
  extra: Record<string, unknown> = {},
  leaseSeconds = 60,
): Promise<any> {
  const t = await createTask({ type, assignee: agent, ...extra });
  const res = await call(claim.POST, "POST", {
    token: await fed.agentToken(agent),
    body: { types: [type], leaseSeconds },
  });
  expect(res.status).toBe(200);
  expect(res.body.id).toBe(t.id);
  return res.body;
}

/** The lease ran out a second ago. */
const expire = (id: string) =>
  fed.db.prisma.$executeRaw`UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = ${id}`;
const row = (id: string) => fed.db.prisma.task.findUniqueOrThrow({ where: { id } });
const actionsOf = async (id: string) =>
  (await fed.db.prisma.auditEvent.findMany({ where: { subject: `task:${id}` }, orderBy: { id: "asc" } })).map(
    (e) => e.action,
  );

describe("heartbeats", () => {
  test("a heartbeat by the holder extends the lease by the seconds it asks for", async () => {
    const token = await fed.agentToken("kimi");
    const t = await createAndClaim("kimi", "hb-extend", {}, 30);
    const before = new Date(t.leaseExpiresAt).getTime();

    const res = await call(heartbeat.POST, "POST", {
      token,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { leaseSeconds: 900 },
    });

    expect(res.status).toBe(200);
    const after = new Date(res.body.leaseExpiresAt).getTime();
    expect(after - before).toBeGreaterThan(800_000);
    expect(after).toBeGreaterThan(Date.now() + 890_000);
    expect((await row(t.id)).leaseExpiresAt!.getTime()).toBe(after);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } })).body.leaseExpiresAt).toBe(
      res.body.leaseExpiresAt,
    );
  });

  test("a heartbeat without leaseSeconds extends the lease to five minutes from now", async () => {
    const token = await fed.agentToken("kimi");
    const t = await createAndClaim("kimi", "hb-default", {}, 30);

    const res = await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} });

    expect(res.status).toBe(200);
    const after = new Date(res.body.leaseExpiresAt).getTime();
    expect(after).toBeGreaterThan(Date.now() + 290_000);
    expect(after).toBeLessThanOrEqual(Date.now() + 300_000);
  });

  test("a heartbeat after the lease ran out is 409, and so is one after the sweep returned the task", async () => {
    const token = await fed.agentToken("kimi");
    const t = await createAndClaim("kimi", "hb-late");
    await expire(t.id);

    const late = await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} });
    expect(late.status).toBe(409);
    expect(late.headers.get("content-type")).toContain("application/problem+json");
    expect(late.body).toMatchObject({ status: 409 });
    expect((await row(t.id)).leaseExpiresAt!.getTime()).toBeLessThan(Date.now());

    await reapExpiredLeases(fed.db.prisma);
    expect(
      (await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(409);
  });
});

describe("a crash is a failure", () => {
  test("a lease that expires charges its holder — by the sweep and by the claim that takes the task back: a failed outcome (lease expired), a failed sample, and the agent's analytics show it", async () => {
    const figures = async () =>
      (await call(agentAnalytics.GET, "GET", { ...admin, params: { name: "kimi" }, query: { window: "7d" } })).body;
    const before = await figures();

    // The sweep takes the lease back.
    const swept = await createAndClaim("kimi", "crash-sweep");
    await fed.db.prisma.$executeRaw`UPDATE tasks SET claimed_at = now() - interval '10 minutes' WHERE id = ${swept.id}`;
    await expire(swept.id);
    expect((await reapExpiredLeases(fed.db.prisma)).requeued).toContain(swept.id);
    // The next claim takes it back (kimi claims again: the lease of its first claim had expired).
    const reclaimed = await createAndClaim("kimi", "crash-claim");
    await expire(reclaimed.id);
    const again = await call(claim.POST, "POST", {
      token: await fed.agentToken("kimi"),
      body: { types: ["crash-claim"] },
    });
    expect(again.body).toMatchObject({ id: reclaimed.id, attempts: 1 });

    for (const t of [swept, reclaimed]) {
      const outcomes = await fed.db.prisma.outcome.findMany({ where: { taskId: t.id } });
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({ agent: "kimi", success: false, reason: "lease expired", taskType: t.type });
      const samples = await fed.db.prisma.$queryRaw<{ agent: string; success: boolean }[]>`
        SELECT agent, success FROM routing_samples WHERE task_id = ${t.id}`;
      expect(samples).toEqual([{ agent: "kimi", success: false }]);
    }
    expect(
      (await fed.db.prisma.outcome.findFirstOrThrow({ where: { taskId: swept.id } })).durationMinutes,
    ).toBeGreaterThan(9);
    const after = await figures();
    expect(after.tasks - before.tasks).toBe(2);
    // Two more tasks, no more successes: two failures.
    expect(after.successRate * after.tasks).toBeCloseTo((before.successRate ?? 0) * before.tasks);
  });
});

describe("holders", () => {
  test("heartbeat, release and complete by an agent that does not hold the task are 403 problem+json and change nothing", async () => {
    const other = await fed.agentToken("copilot");
    const t = await createAndClaim("kimi", "holder-only");
    const before = await row(t.id);

    for (const [handler, body] of [
      [heartbeat.POST, { leaseSeconds: 3600 }],
      [release.POST, {}],
      [complete.POST, { success: true }],
    ] as const) {
      const res = await call(handler, "POST", { token: other, params: { id: t.id }, body });
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body).toMatchObject({
        status: 403,
        title: expect.any(String),
        detail: expect.any(String),
        type: expect.any(String),
      });
    }

    const after = await row(t.id);
    expect(after).toMatchObject({
      state: "in_progress",
      claimedBy: "kimi",
      leaseExpiresAt: before.leaseExpiresAt,
      attempts: 0,
    });
    expect(await fed.db.prisma.outcome.count({ where: { taskId: t.id } })).toBe(0);
  });

  test("a former holder whose task went to another agent gets 409 (it lost the lease), not 403, and changes nothing", async () => {
    const kimi = await fed.agentToken("kimi");
    const t = await createAndClaim("kimi", "former-holder");
    const kimisLease = leaseOf(t.id);
    // Kimi's lease runs out; the orchestrator hands the task to copilot, which claims it.
    await expire(t.id);
    await reapExpiredLeases(fed.db.prisma);
    expect(
      (await call(reassign.POST, "POST", { ...admin, params: { id: t.id }, body: { assignee: "copilot" } })).status,
    ).toBe(200);
    const copilotClaim = await call(claim.POST, "POST", {
      token: await fed.agentToken("copilot"),
      body: { types: ["former-holder"] },
    });
    expect(copilotClaim.body.id).toBe(t.id);
    const before = await row(t.id);

    for (const [handler, body] of [
      [heartbeat.POST, { leaseSeconds: 3600 }],
      [release.POST, {}],
      [complete.POST, { success: true }],
    ] as const) {
      const res = await call(handler, "POST", { token: kimi, lease: kimisLease, params: { id: t.id }, body });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain("no longer holds the lease");
    }
    const after = await row(t.id);
    expect(after).toMatchObject({ state: "in_progress", claimedBy: "copilot", leaseExpiresAt: before.leaseExpiresAt });
  });

  test("people, even an admin, cannot heartbeat, release or complete an agent's lease", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "lease-member@example.com",
      name: "Member",
      role: "member",
      password: "member-password-1",
    });
    const cookie = await sessionCookie(user.id);
    const t = await createAndClaim("kimi", "holder-people");

    for (const who of [admin, { cookie }]) {
      for (const [handler, body] of [
        [heartbeat.POST, {}],
        [release.POST, {}],
        [complete.POST, { success: true }],
      ] as const) {
        expect((await call(handler, "POST", { ...who, params: { id: t.id }, body })).status).toBe(403);
      }
    }
    expect((await row(t.id)).state).toBe("in_progress");
  });

  test("acting on a task that does not exist is 404", async () => {
    const token = await fed.agentToken("kimi");
    const res = await call(heartbeat.POST, "POST", { token, params: { id: "task-20200101-000000-0001" }, body: {} });
    expect(res.status).toBe(404);
  });
});

describe("releasing", () => {
  test("a release puts the task back to pending with its attempts unchanged, and it can be claimed again", async () => {
    const token = await fed.agentToken("ollama");
    const t = await createAndClaim("ollama", "release-me");
    // One lost lease first, so that "unchanged" is not simply zero.
    await expire(t.id);
    const again = await call(claim.POST, "POST", { token, body: { types: ["release-me"] } });
    expect(again.body).toMatchObject({ id: t.id, attempts: 1 });

    const res = await call(release.POST, "POST", {
      token,
      lease: leaseOf(t.id),
      params: { id: t.id },
      body: { reason: "needs a human decision" },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, state: "pending", attempts: 1, claimedBy: null, leaseExpiresAt: null });
    expect(await row(t.id)).toMatchObject({ state: "pending", attempts: 1, claimedBy: null, leaseExpiresAt: null });
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.released", subject: `task:${t.id}` },
    });
    expect(event.details).toMatchObject({ agent: "ollama", reason: "needs a human decision" });

    const reclaimed = await call(claim.POST, "POST", { token, body: { types: ["release-me"] } });
    expect(reclaimed.body).toMatchObject({ id: t.id, state: "in_progress", attempts: 1, claimedBy: "ollama" });
  });

  test("a released task can be claimed by another eligible agent", async () => {
    const t = await createTask({ type: "release-handoff", assignee: "claude" });
    const patch = await import("@/app/api/v1/agents/[name]/route");
    expect(
      (await call(patch.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "rate_limited" } }))
        .status,
    ).toBe(200);
    try {
      const opus = await fed.agentToken("copilot-opus");
      expect((await call(claim.POST, "POST", { token: opus, body: { types: ["release-handoff"] } })).body.id).toBe(
        t.id,
      );
      expect(
        (await call(release.POST, "POST", { token: opus, lease: leaseOf(t.id), params: { id: t.id }, body: {} }))
          .status,
      ).toBe(200);
    } finally {
      expect(
        (await call(patch.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "active" } })).status,
      ).toBe(200);
    }
    const back = await call(claim.POST, "POST", {
      token: await fed.agentToken("claude"),
      body: { types: ["release-handoff"] },
    });
    expect(back.body).toMatchObject({ id: t.id, claimedBy: "claude", attempts: 0 });
  });

  test("releasing twice is 409 the second time", async () => {
    const token = await fed.agentToken("ollama");
    const t = await createAndClaim("ollama", "release-twice");
    expect(
      (await call(release.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(200);
    expect(
      (await call(release.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(409);
  });
});

describe("lease expiry", () => {
  test("the sweep returns a task whose lease ran out to pending with attempts + 1", async () => {
    const t = await createAndClaim("copilot", "expiry-sweep");
    await expire(t.id);

    const swept = await reapExpiredLeases(fed.db.prisma);

    expect(swept.requeued).toContain(t.id);
    expect(swept.failed).not.toContain(t.id);
    expect(await row(t.id)).toMatchObject({ state: "pending", attempts: 1, claimedBy: null, leaseExpiresAt: null });
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.lease_expired", subject: `task:${t.id}` },
    });
    expect(event.details).toMatchObject({ agent: "copilot", attempts: 1 });
    // And it is claimable again.
    const again = await call(claim.POST, "POST", {
      token: await fed.agentToken("copilot"),
      body: { types: ["expiry-sweep"] },
    });
    expect(again.body).toMatchObject({ id: t.id, attempts: 1, state: "in_progress" });
  });

  test("the sweep leaves leases that have not run out alone", async () => {
    const t = await createAndClaim("copilot", "expiry-live");
    const swept = await reapExpiredLeases(fed.db.prisma);
    expect(swept.requeued).not.toContain(t.id);
    expect(await row(t.id)).toMatchObject({ state: "in_progress", attempts: 0, claimedBy: "copilot" });
  });

  test("the next claim reaps a task whose lease ran out: it comes back with attempts + 1 and the expiry is logged", async () => {
    const token = await fed.agentToken("copilot");
    const t = await createAndClaim("copilot", "expiry-claim");
    await expire(t.id);

    const res = await call(claim.POST, "POST", { token, body: { types: ["expiry-claim"], leaseSeconds: 120 } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, state: "in_progress", attempts: 1, claimedBy: "copilot" });
    expect(new Date(res.body.leaseExpiresAt).getTime()).toBeGreaterThan(Date.now() + 100_000);
    const actions = await actionsOf(t.id);
    expect(actions.filter((a) => a === "task.lease_expired")).toHaveLength(1);
    expect(actions.filter((a) => a === "task.claimed")).toHaveLength(2);
    const expired = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.lease_expired", subject: `task:${t.id}` },
    });
    expect(expired).toMatchObject({ actor: "system", details: { attempts: 1, maxAttempts: 3 } });
    // The new lease is live: the sweep finds nothing to do and a heartbeat works.
    expect((await reapExpiredLeases(fed.db.prisma)).requeued).not.toContain(t.id);
    expect(
      (await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(200);
  });

  test("a task's history shows the lost lease before the claim that reaped it", async () => {
    const token = await fed.agentToken("copilot");
    const t = await createAndClaim("copilot", "expiry-history");
    await expire(t.id);
    expect((await call(claim.POST, "POST", { token, body: { types: ["expiry-history"] } })).body.attempts).toBe(1);

    const detail = await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } });

    // events are newest first: the new claim, then the expiry it reaped, then the first claim and the creation.
    expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual([
      "task.claimed",
      "task.lease_expired",
      "task.claimed",
      "task.created",
    ]);
  });

  test("a task whose lease ran out is reaped by the claim of another agent in its fallback chain", async () => {
    const patch = await import("@/app/api/v1/agents/[name]/route");
    const t = await createAndClaim("claude", "expiry-fallback");
    await expire(t.id);
    expect(
      (await call(patch.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "rate_limited" } }))
        .status,
    ).toBe(200);
    try {
      const res = await call(claim.POST, "POST", {
        token: await fed.agentToken("copilot-opus"),
        body: { types: ["expiry-fallback"] },
      });
      expect(res.body).toMatchObject({ id: t.id, attempts: 1, claimedBy: "copilot-opus", assignee: "claude" });
      // claude's old lease is gone: it no longer holds the lease, which the contract answers with 409.
      expect(
        (
          await call(heartbeat.POST, "POST", {
            token: await fed.agentToken("claude"),
            lease: leaseOf(t.id),
            params: { id: t.id },
            body: {},
          })
        ).status,
      ).toBe(409);
    } finally {
      expect(
        (await call(patch.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "active" } })).status,
      ).toBe(200);
    }
  });

  test("at maxAttempts the sweep fails the task and opens a task escalation about it", async () => {
    const token = await fed.agentToken("kimi-ide");
    const t = await createAndClaim("kimi-ide", "expiry-exhaust-sweep", { maxAttempts: 2 });
    await expire(t.id);
    expect((await reapExpiredLeases(fed.db.prisma)).requeued).toContain(t.id);
    expect((await call(claim.POST, "POST", { token, body: { types: ["expiry-exhaust-sweep"] } })).body.id).toBe(t.id);
    await expire(t.id);

    const swept = await reapExpiredLeases(fed.db.prisma);

    expect(swept.failed).toContain(t.id);
    expect(await row(t.id)).toMatchObject({ state: "failed", attempts: 2, claimedBy: null, leaseExpiresAt: null });
    expect((await row(t.id)).completedAt).not.toBeNull();
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    expect(open.status).toBe(200);
    const mine = open.body.items.filter((e: { subjectId: string }) => e.subjectId === t.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      kind: "task",
      state: "open",
      subjectId: t.id,
      resolution: null,
      reason: expect.any(String),
    });
    expect((await call(claim.POST, "POST", { token, body: { types: ["expiry-exhaust-sweep"] } })).status).toBe(204);
    // A second sweep neither touches the failed task nor opens a second escalation.
    await reapExpiredLeases(fed.db.prisma);
    expect(await fed.db.prisma.escalation.count({ where: { subjectId: t.id } })).toBe(1);
  });

  test("at maxAttempts, after the first expiry was reaped by a claim, the task still ends failed with an open escalation", async () => {
    const token = await fed.agentToken("kimi-ide");
    const t = await createAndClaim("kimi-ide", "expiry-exhaust-claim", { maxAttempts: 2 });
    await expire(t.id);
    expect((await call(claim.POST, "POST", { token, body: { types: ["expiry-exhaust-claim"] } })).body).toMatchObject({
      id: t.id,
      attempts: 1,
    });
    await expire(t.id);

    // No attempts are left, so the claim must not hand the task out again…
    expect((await call(claim.POST, "POST", { token, body: { types: ["expiry-exhaust-claim"] } })).status).toBe(204);
    // …and the sweep fails it.
    await reapExpiredLeases(fed.db.prisma);

    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } })).body).toMatchObject({
      state: "failed",
      attempts: 2,
    });
    const open = await call(escalations.GET, "GET", { ...admin, query: { state: "open", kind: "task" } });
    expect(open.body.items.filter((e: { subjectId: string }) => e.subjectId === t.id)).toHaveLength(1);
    expect(
      (await call(heartbeat.POST, "POST", { token, lease: leaseOf(t.id), params: { id: t.id }, body: {} })).status,
    ).toBe(409);
  });

  test("a task created with maxAttempts 1 fails on its first lost lease", async () => {
    const t = await createAndClaim("kimi-ide", "expiry-one-shot", { maxAttempts: 1 });
    await expire(t.id);
    expect((await reapExpiredLeases(fed.db.prisma)).failed).toContain(t.id);
    expect(await row(t.id)).toMatchObject({ state: "failed", attempts: 1 });
    expect(await fed.db.prisma.escalation.count({ where: { subjectId: t.id, kind: "task", state: "open" } })).toBe(1);
  });
});
