// Reuben's day (issue 20), the server's side: a final failure reaches a person, an escalation offers only what
// works on its subject, a tie suggests nothing, a rule's verdict survives an edit, the decision history, people's
// own tokens, numbers that agree with the registry, an optimizer that does not ratchet, and a demo that leaves
// work waiting.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as decide from "@/app/api/v1/escalations/[id]/decide/route";
import * as votes from "@/app/api/v1/votes/route";
import * as ballots from "@/app/api/v1/votes/[id]/ballots/route";
import * as rules from "@/app/api/v1/rules/route";
import * as ruleOne from "@/app/api/v1/rules/[id]/route";
import * as federation from "@/app/api/v1/federation/state/route";
import * as meTokens from "@/app/api/v1/me/tokens/route";
import * as meToken from "@/app/api/v1/me/tokens/[prefix]/route";
import * as me from "@/app/api/v1/me/route";
import * as agentTokens from "@/app/api/v1/agents/[name]/tokens/route";
import * as users from "@/app/api/v1/users/[id]/route";
import * as dashboardRoute from "@/app/api/v1/analytics/dashboard/route";
import * as optimizeRoute from "@/app/api/v1/analytics/optimize/route";
import { SYSTEM } from "@/lib/auth/actor";
import { generateHistory } from "@/lib/demo/generate";
import { openEscalation } from "@/lib/escalations/service";
import { recordOutcome } from "@/lib/outcomes/record";
import { createUser } from "@/lib/users/service";
import { resolveVote } from "@/lib/voting/resolve";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };

async function claimAndComplete(agent: string, type: string, body: Record<string, unknown>, maxAttempts = 3) {
  const created = await call(tasks.POST, "POST", {
    ...admin,
    body: { title: `Work for ${agent} ${Math.random()}`, type, assignee: agent, maxAttempts },
  });
  const token = await fed.token(agent);
  const c = await call(claim.POST, "POST", { token, body: { types: [type] } });
  expect(c.body.id).toBe(created.body.id);
  const done = await call(complete.POST, "POST", { token, lease: c.body.leaseToken, params: { id: c.body.id }, body });
  expect(done.status).toBe(200);
  return created.body.id as string;
}

const escalationsOf = async (subjectId: string, state = "open") =>
  (
    await call(escalations.GET, "GET", { ...admin, query: { state, expand: "context", limit: "200" } })
  ).body.items.filter((e: { subjectId: string }) => e.subjectId === subjectId);

async function person(role: "admin" | "member" | "viewer") {
  const { user } = await createUser(fed.db.prisma, SYSTEM, {
    email: `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    name: role,
    role,
    password: "a-password-of-mine-1",
  });
  return { user, cookie: await sessionCookie(user.id) };
}

describe("a final failure reaches a person", () => {
  test("success:false without retry opens one task escalation, saying what the agent reported", async () => {
    const id = await claimAndComplete("kimi", "implementation", { success: false, summary: "The API key is missing." });
    const open = await escalationsOf(id);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: "task", reason: expect.stringContaining("The API key is missing.") });
    expect(open[0].context.task.state).toBe("failed");
  });

  test("a failure a rule takes on (a follow-up on failure) opens none", async () => {
    const rule = await call(rules.POST, "POST", {
      ...admin,
      body: {
        name: "Failed debugging → research",
        when: { type: "debugging", success: false },
        then: [{ type: "research", assignee: "claude", titleTemplate: "Find out why {{title}} failed" }],
      },
    });
    expect(rule.status).toBe(201);
    await call(federation.PATCH, "PATCH", { ...admin, body: { autoScheduling: true } });
    try {
      const id = await claimAndComplete("kimi-ide", "debugging", { success: false, summary: "cannot reproduce" });
      expect(await escalationsOf(id)).toHaveLength(0);
      expect(await fed.db.prisma.task.count({ where: { parentId: id } })).toBe(1);
    } finally {
      await call(federation.PATCH, "PATCH", { ...admin, body: { autoScheduling: false } });
      await call(ruleOne.DELETE, "DELETE", { ...admin, params: { id: rule.body.id } });
    }
  });
});

describe("only the actions that apply", () => {
  test("a failed task's escalation offers assign, retry and dismiss — not cancel, which is refused saying what works — and retry works", async () => {
    const id = await claimAndComplete("kimi", "implementation", { success: false, summary: "broke" });
    const [e] = await escalationsOf(id);
    expect(e.context.actions).toEqual(["assign", "retry", "dismiss"]);

    const cancel = await call(decide.POST, "POST", { ...admin, params: { id: e.id }, body: { action: "cancel" } });
    expect(cancel.status).toBe(409);
    expect(cancel.body.detail).toMatch(/failed: it can be assigned to an agent, retried or dismissed, not cancelled/);

    const retry = await call(decide.POST, "POST", { ...admin, params: { id: e.id }, body: { action: "retry" } });
    expect(retry.status).toBe(200);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id } })).state).toBe("pending");
  });

  test("a routing escalation (a pending task) offers assign, cancel and dismiss, and cancel works", async () => {
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Sort out the build", type: "research", assignee: "claude" },
    });
    await fed.db.prisma.$transaction((tx) =>
      openEscalation(tx, SYSTEM, { kind: "routing", subjectId: created.body.id, reason: "No evidence to route on." }),
    );
    const [e] = await escalationsOf(created.body.id);
    expect(e).toMatchObject({ kind: "routing" });
    expect(e.context.actions).toEqual(["assign", "cancel", "dismiss"]);
    const res = await call(decide.POST, "POST", { ...admin, params: { id: e.id }, body: { action: "cancel" } });
    expect(res.status).toBe(200);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: created.body.id } })).state).toBe("cancelled");
  });
});

describe("ties", () => {
  test("a tied vote's escalation suggests no option", async () => {
    const vote = await call(votes.POST, "POST", {
      ...admin,
      body: { question: "Tabs or spaces?", options: ["tabs", "spaces"], voters: ["claude", "kimi"] },
    });
    for (const [agent, option] of [
      ["claude", "tabs"],
      ["kimi", "spaces"],
    ])
      await call(ballots.POST, "POST", {
        token: await fed.token(agent!),
        params: { id: vote.body.id },
        body: { option, confidence: 0.8 },
      });
    const [e] = await escalationsOf(vote.body.id);
    expect(e.reason).toMatch(/^Tie between/);
    expect(e.context.suggestion).toBeNull();
    expect(e.context.actions).toEqual(["decide", "dismiss"]);
  });
});

describe("a rule keeps what the form does not change", () => {
  test("saving the changes-requested rule with its condition resent without a verdict, or with only a new name, keeps when.verdict; null clears it", async () => {
    const list = (await call(rules.GET, "GET", admin)).body.items;
    const rework = list.find((r: { when: { verdict: string | null } }) => r.when.verdict === "changes_requested");
    expect(rework).toBeTruthy();

    const resent = await call(ruleOne.PATCH, "PATCH", {
      ...admin,
      params: { id: rework.id },
      body: { when: { type: rework.when.type, success: rework.when.success } },
    });
    expect(resent.status).toBe(200);
    expect(resent.body.when.verdict).toBe("changes_requested");
    const renamed = await call(ruleOne.PATCH, "PATCH", {
      ...admin,
      params: { id: rework.id },
      body: { name: "Changes requested → rework (renamed)" },
    });
    expect(renamed.body.when).toEqual(rework.when);

    const cleared = await call(ruleOne.PATCH, "PATCH", {
      ...admin,
      params: { id: rework.id },
      body: { when: { verdict: null } },
    });
    expect(cleared.body.when).toEqual({ ...rework.when, verdict: null });
    await call(ruleOne.PATCH, "PATCH", {
      ...admin,
      params: { id: rework.id },
      body: { name: rework.name, when: { verdict: "changes_requested" } },
    });
  });
});

describe("the decision history", () => {
  test("Decided lists the most recently decided first, with what each was about", async () => {
    const first = await claimAndComplete("kimi", "testing", { success: false, summary: "one" });
    const second = await claimAndComplete("kimi", "testing", { success: false, summary: "two" });
    const [a] = await escalationsOf(first);
    const [b] = await escalationsOf(second);
    // Decided in the other order than they opened.
    await call(decide.POST, "POST", { ...admin, params: { id: b.id }, body: { action: "dismiss", note: "later" } });
    await call(decide.POST, "POST", { ...admin, params: { id: a.id }, body: { action: "retry" } });
    const decided = (await call(escalations.GET, "GET", { ...admin, query: { state: "resolved", limit: "200" } })).body
      .items;
    const ids = decided.map((e: { id: string }) => e.id);
    expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
    expect(decided.find((e: { id: string }) => e.id === b.id)).toMatchObject({
      resolvedBy: "admin-token",
      resolution: { action: "dismiss", note: "later" },
      subjectTitle: expect.stringContaining("Work for kimi"),
    });
  });
});

describe("people's own tokens", () => {
  test("a person issues a token shown once; it acts with their role (an admin's decides an escalation); listed; revoked → 401", async () => {
    const { cookie, user } = await person("admin");
    const issued = await call(meTokens.POST, "POST", { cookie, body: { name: "laptop", expiresInDays: 30 } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ token: expect.stringMatching(/^fedu_/), name: "laptop" });
    expect(new Date(issued.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const token = issued.body.token as string;

    expect((await call(me.GET, "GET", { token })).body).toMatchObject({
      kind: "user",
      role: "admin",
      label: user.email,
    });
    const id = await claimAndComplete("kimi", "review", { success: false, summary: "needs a person" });
    const [e] = await escalationsOf(id);
    const decided = await call(decide.POST, "POST", { token, params: { id: e.id }, body: { action: "retry" } });
    expect(decided.status).toBe(200);
    expect(decided.body.resolvedBy).toBe(user.email);

    const listed = (await call(meTokens.GET, "GET", { cookie })).body.items;
    expect(listed).toEqual([expect.objectContaining({ prefix: issued.body.prefix, name: "laptop" })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await call(meToken.DELETE, "DELETE", { cookie, params: { prefix: issued.body.prefix } })).status).toBe(204);
    expect((await call(me.GET, "GET", { token })).status).toBe(401);
    expect((await call(meTokens.GET, "GET", { cookie })).body.items).toEqual([]);
  });

  test("an expired token and a disabled person's token get 401; a viewer's token changes nothing; an agent has no personal tokens", async () => {
    const viewer = await person("viewer");
    const issued = (await call(meTokens.POST, "POST", { cookie: viewer.cookie, body: { name: "ci" } })).body;
    expect(issued.expiresAt).toBeNull();
    const created = await call(tasks.POST, "POST", { token: issued.token, body: { title: "x", type: "research" } });
    expect(created.status).toBe(403);
    expect((await call(me.GET, "GET", { token: issued.token })).body.role).toBe("viewer");

    await fed.db.prisma.userToken.updateMany({
      where: { prefix: issued.prefix },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await call(me.GET, "GET", { token: issued.token })).status).toBe(401);

    const member = await person("member");
    const other = (await call(meTokens.POST, "POST", { cookie: member.cookie, body: { name: "script" } })).body;
    expect((await call(me.GET, "GET", { token: other.token })).status).toBe(200);
    await call(users.PATCH, "PATCH", { ...admin, params: { id: member.user.id }, body: { disabled: true } });
    expect((await call(me.GET, "GET", { token: other.token })).status).toBe(401);

    const agent = await call(meTokens.POST, "POST", { token: await fed.token("kimi"), body: { name: "mine" } });
    expect(agent.status).toBe(403);
    expect((await call(meTokens.POST, "POST", { cookie: viewer.cookie, body: { name: "" } })).status).toBe(422);
  });

  test("agent tokens take a name and an expiry; an expired one gets 401", async () => {
    const issued = await call(agentTokens.POST, "POST", {
      ...admin,
      params: { name: "copilot" },
      body: { name: "ci runner", expiresInDays: 1 },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ name: "ci runner", expiresAt: expect.any(String) });
    expect((await call(me.GET, "GET", { token: issued.body.token })).body).toMatchObject({ agent: "copilot" });
    const listed = (await call(agentTokens.GET, "GET", { ...admin, params: { name: "copilot" } })).body.items;
    expect(listed.find((t: { id: string }) => t.id === issued.body.id)).toMatchObject({ name: "ci runner" });
    await fed.db.prisma.agentToken.update({
      where: { id: issued.body.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    // The per-instance token cache forgets within its TTL; an expired token is never remembered past its expiry.
    const { forgetTokens } = await import("@/lib/auth/token-cache");
    forgetTokens();
    expect((await call(me.GET, "GET", { token: issued.body.token })).status).toBe(401);
  });
});

describe("numbers that agree", () => {
  test("the dashboard's active agents are the registry's, beside those with outcomes in the window", async () => {
    const registry = await fed.db.prisma.agent.count({ where: { status: "active" } });
    expect(registry).toBeGreaterThan(0);
    const d = (await call(dashboardRoute.GET, "GET", admin)).body;
    expect(d.activeAgents).toBe(registry);
    expect(typeof d.agentsWithOutcomes).toBe("number");
    // The default window is the one every page and the CLI use: 30 days, not all time.
    expect(new Date(d.since).getTime()).toBeCloseTo(Date.now() - 30 * 86_400_000, -5);
  });

  test("the optimizer shows applied suggestions as applied, a second apply changes nothing, and an avoid without a rule is advice only", async () => {
    for (let i = 0; i < 40; i++) {
      await recordOutcome(fed.db.prisma, {
        agent: "claude",
        taskType: "ratchet",
        success: i % 10 !== 0,
        durationMinutes: 5,
        rework: false,
      });
      await recordOutcome(fed.db.prisma, {
        agent: "copilot",
        taskType: "ratchet",
        success: i % 2 === 0,
        durationMinutes: 5,
        rework: false,
      });
      await recordOutcome(fed.db.prisma, {
        agent: "ollama",
        taskType: "ratchet",
        success: i % 8 === 0,
        durationMinutes: 5,
        rework: false,
      });
    }
    const find = (list: { agent: string; taskType: string }[], agent: string) =>
      list.find((s) => s.agent === agent && s.taskType === "ratchet") as any;
    const dry = (await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: true } })).body.suggestions;
    expect(find(dry, "claude")).toMatchObject({ kind: "prefer", applied: null, evidence: { proposedWeight: 0.8 } });
    const avoid = find(dry, "ollama");
    expect(avoid).toMatchObject({ kind: "avoid", evidence: { ruleWeight: null, proposedWeight: null } });
    expect(avoid.reason).toMatch(/no weight to lower/);

    const first = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: false } });
    const weight = async () =>
      (await fed.db.prisma.routingRule.findFirst({ where: { agent: "claude", kind: "type", pattern: "ratchet" } }))
        ?.weight;
    expect(await weight()).toBe(0.8);
    const after = (await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: true } })).body.suggestions;
    expect(find(after, "claude")).toMatchObject({
      applied: { changeId: first.body.change.id },
      evidence: { proposedWeight: null },
    });
    const second = await call(optimizeRoute.POST, "POST", { ...admin, body: { dryRun: false } });
    expect(second.body.change.changes.filter((c: { pattern: string }) => c.pattern === "ratchet")).toEqual([]);
    expect(await weight()).toBe(0.8);
  });
});

describe("the demo", () => {
  test("whatever the clock, it leaves open escalations of each kind and open votes, every agent seen, votes resolved by the product's rule", () => {
    for (const now of [new Date("2026-12-05T03:17:00Z"), new Date("2026-12-06T15:42:00Z")]) {
      const h = generateHistory({ now });
      for (const kind of ["task", "routing", "vote"])
        expect(h.escalations.some((e) => e.kind === kind && e.state === "open")).toBe(true);
      expect(h.votes.filter((v) => v.status === "open").length).toBeGreaterThanOrEqual(1);
      for (const agent of ["claude", "copilot-opus", "kimi", "kimi-ide", "copilot", "ollama"])
        expect(now.getTime() - h.lastSeen[agent]!.getTime()).toBeLessThan(7 * 86_400_000);
      for (const v of h.votes.filter((x) => x.status !== "open" && !x.decidedBy)) {
        const r = resolveVote(
          { options: v.options, method: "weighted_confidence", threshold: 0.7, quorum: null },
          v.ballots,
        );
        expect(v.result).toMatchObject({ status: r.status, reason: r.reason });
      }
      expect(h.votes.some((v) => (v.result as { reason?: string } | null)?.reason === "tie")).toBe(true);
    }
  });
});
