// The voting booth through its routes: the contract's result rules, who may vote, closing by the last
// ballot, by hand and by the sweep, reopening, and a person deciding what the agents could not.
import { describe, expect, test } from "vitest";
import * as votes from "@/app/api/v1/votes/route";
import * as voteOne from "@/app/api/v1/votes/[id]/route";
import * as ballots from "@/app/api/v1/votes/[id]/ballots/route";
import * as resolve from "@/app/api/v1/votes/[id]/resolve/route";
import * as reopen from "@/app/api/v1/votes/[id]/reopen/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as decide from "@/app/api/v1/escalations/[id]/decide/route";
import * as briefing from "@/app/api/v1/agents/[name]/briefing/route";
import * as agentList from "@/app/api/v1/agents/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createPrisma } from "@/lib/db/client";
import { createUser } from "@/lib/users/service";
import { closeDueVotes } from "@/lib/voting/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const VOTERS = ["claude", "kimi", "copilot"];

async function open(body: Record<string, unknown> = {}, as: { token?: string; cookie?: string } = admin) {
  const res = await call(votes.POST, "POST", {
    ...as,
    body: { question: "Which language for the CLI?", options: ["python", "typescript", "go"], voters: VOTERS, ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}
const cast = async (id: string, agent: string, body: Record<string, unknown>) =>
  call(ballots.POST, "POST", { token: await fed.token(agent), params: { id }, body });
const escalationOf = async (voteId: string) =>
  (await call(escalations.GET, "GET", { ...admin, query: { kind: "vote", state: "open" } })).body.items.find(
    (e: { subjectId: string }) => e.subjectId === voteId,
  );
const closeNow = (id: string) =>
  fed.db.prisma.$executeRaw`UPDATE votes SET closes_at = now() - interval '1 second' WHERE id = ${id}`;

describe("the contract's results", () => {
  test("the seed's example: python 0.80 + python 0.80 + typescript 0.80 → decided python, 1.60 and 0.80, confidence 0.80, majority", async () => {
    const v = await open();
    expect(v).toMatchObject({
      id: expect.stringMatching(/^vote-\d{8}-\d{6}-\d{4}$/),
      status: "open",
      method: "weighted_confidence",
      threshold: 0.7,
      ballots: [],
    });
    await cast(v.id, "claude", { option: "python", confidence: 0.8 });
    await cast(v.id, "kimi", { option: "python", confidence: 0.8 });
    const last = await cast(v.id, "copilot", { option: "typescript", confidence: 0.8 });

    expect(last.status).toBe(200);
    expect(last.body.status).toBe("decided");
    expect(last.body.result).toMatchObject({ status: "decided", winner: "python", reason: "majority" });
    expect(last.body.result.scores.python).toBeCloseTo(1.6, 12);
    expect(last.body.result.scores.typescript).toBeCloseTo(0.8, 12);
    expect(last.body.result.decisionConfidence).toBeCloseTo(0.8, 12);
    expect(last.body.decidedBy).toBeNull();
    expect(last.body.ballots.map((b: { voter: string }) => b.voter)).toEqual(VOTERS);
    expect(await escalationOf(v.id)).toBeUndefined();
  });

  test.each([
    [
      "a tie escalates with tie",
      [
        ["claude", "python", 0.8],
        ["kimi", "go", 0.8],
        ["copilot", "typescript", 0.1],
      ],
      { status: "escalated", reason: "tie" },
    ],
    [
      "all ballots below 0.70 escalate with low_confidence",
      [
        ["claude", "python", 0.6],
        ["kimi", "python", 0.65],
        ["copilot", "go", 0.5],
      ],
      { status: "escalated", reason: "low_confidence" },
    ],
    [
      "unanimous and confident is decided unanimous",
      [
        ["claude", "go", 0.9],
        ["kimi", "go", 0.95],
        ["copilot", "go", 0.8],
      ],
      { status: "decided", reason: "unanimous", winner: "go" },
    ],
  ] as const)("%s", async (_, cast3, expected) => {
    const v = await open();
    let last: { status: number; body: any } | null = null;
    for (const [agent, option, confidence] of cast3) last = await cast(v.id, agent, { option, confidence });
    expect(last!.body.result).toMatchObject(expected);
    const escalation = await escalationOf(v.id);
    if (expected.status === "escalated")
      expect(escalation).toMatchObject({ kind: "vote", state: "open", reason: expect.any(String) });
    else expect(escalation).toBeUndefined();
  });

  test("a tie means the two highest scores, not any two", async () => {
    const v = await open();
    await cast(v.id, "claude", { option: "python", confidence: 0.8 });
    await cast(v.id, "kimi", { option: "go", confidence: 0.8 });
    const last = await cast(v.id, "copilot", { option: "python", confidence: 0.9 });
    expect(last.body.result).toMatchObject({ status: "decided", winner: "python" });
  });

  test("no ballots at close escalate with no_ballots, by the sweep", async () => {
    const v = await open({ closesAt: new Date(Date.now() + 60_000).toISOString() });
    await closeNow(v.id);
    expect(await closeDueVotes(fed.db.prisma)).toBeGreaterThanOrEqual(1);
    const after = await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } });
    expect(after.body).toMatchObject({ status: "escalated", result: { reason: "no_ballots", decisionConfidence: 0 } });
    expect((await escalationOf(v.id)).reason).toBe("Nobody voted before the vote closed.");
  });

  test("fewer ballots than the quorum at close escalate with no_quorum", async () => {
    const v = await open({ quorum: 3, closesAt: new Date(Date.now() + 60_000).toISOString() });
    await cast(v.id, "claude", { option: "go", confidence: 0.9 });
    await cast(v.id, "kimi", { option: "go", confidence: 0.9 });
    await closeNow(v.id);
    await closeDueVotes(fed.db.prisma);
    const after = await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } });
    expect(after.body.result).toMatchObject({ status: "escalated", reason: "no_quorum", leading: "go" });
    expect((await escalationOf(v.id)).reason).toContain("Only 2 of the 3 ballots");
  });

  test("simple_majority counts ballots", async () => {
    const v = await open({ method: "simple_majority" });
    await cast(v.id, "claude", { option: "go", confidence: 1 });
    await cast(v.id, "kimi", { option: "python", confidence: 0.75 });
    const last = await cast(v.id, "copilot", { option: "python", confidence: 0.75 });
    expect(last.body.result).toMatchObject({
      status: "decided",
      winner: "python",
      scores: { python: 2, go: 1, typescript: 0 },
      reason: "majority",
    });
  });
});

describe("ballots", () => {
  test("a non-voter's ballot is 403, a ballot on a closed vote 409, confidence 1.2 and a missing required rationale 422", async () => {
    const v = await open({ requireRationale: true });
    const outsider = await cast(v.id, "ollama", { option: "go", confidence: 0.9, rationale: "I like it" });
    expect(outsider.status).toBe(403);
    const human = await call(ballots.POST, "POST", {
      ...admin,
      params: { id: v.id },
      body: { option: "go", confidence: 0.9, rationale: "x" },
    });
    expect(human.status).toBe(403);
    const tooSure = await cast(v.id, "claude", { option: "go", confidence: 1.2, rationale: "very" });
    expect(tooSure.status).toBe(422);
    expect(tooSure.body.errors[0].path).toBe("confidence");
    const silent = await cast(v.id, "claude", { option: "go", confidence: 0.9 });
    expect(silent.status).toBe(422);
    expect(silent.body.errors[0].path).toBe("rationale");
    const unknownOption = await cast(v.id, "claude", { option: "rust", confidence: 0.9, rationale: "fast" });
    expect(unknownOption.status).toBe(422);
    expect(unknownOption.body.errors[0].path).toBe("option");
    expect((await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } })).body.ballots).toEqual([]);

    expect((await call(resolve.POST, "POST", { ...admin, params: { id: v.id } })).body.status).toBe("escalated");
    const late = await cast(v.id, "claude", { option: "go", confidence: 0.9, rationale: "late" });
    expect(late.status).toBe(409);
    expect(late.headers.get("content-type")).toContain("application/problem+json");
  });

  test("a voter replaces its own ballot while the vote is open", async () => {
    const v = await open();
    await cast(v.id, "claude", { option: "python", confidence: 0.6 });
    const again = await cast(v.id, "claude", { option: "go", confidence: 0.9, rationale: "changed my mind" });
    expect(again.body.ballots).toEqual([
      expect.objectContaining({ voter: "claude", option: "go", confidence: 0.9, rationale: "changed my mind" }),
    ]);
    expect(again.body.scores).toMatchObject({ go: 0.9, python: 0 });
    expect(
      await fed.db.prisma.auditEvent.count({ where: { subject: `vote:${v.id}`, action: "vote.ballot_cast" } }),
    ).toBe(2);
  });

  test("a ballot that arrives after closesAt is refused, and the vote is closed then and there", async () => {
    const v = await open({ closesAt: new Date(Date.now() + 60_000).toISOString() });
    await cast(v.id, "claude", { option: "go", confidence: 0.9 });
    await closeNow(v.id);
    expect((await cast(v.id, "kimi", { option: "go", confidence: 0.9 })).status).toBe(409);
    expect((await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } })).body).toMatchObject({
      status: "decided",
      result: { winner: "go" },
      ballots: [expect.objectContaining({ voter: "claude" })],
    });
  });

  test("opening a vote validates its question, options, voters, quorum and closing time", async () => {
    const bad = [
      { options: ["only one"] },
      { options: ["a", "A"] },
      { voters: ["nobody-here"] },
      { quorum: 4 },
      { closesAt: "2001-01-01T00:00:00Z" },
      { threshold: 1.5 },
      { method: "ranked" },
    ];
    for (const body of bad)
      expect(
        (
          await call(votes.POST, "POST", {
            ...admin,
            body: { question: "Q?", options: ["a", "b"], voters: VOTERS, ...body },
          })
        ).status,
      ).toBe(422);
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "vote-viewer@example.com",
      name: "V",
      role: "viewer",
      password: "viewer-password-1",
    });
    expect(
      (
        await call(votes.POST, "POST", {
          cookie: await sessionCookie(user.id),
          body: { question: "Q?", options: ["a", "b"] },
        })
      ).status,
    ).toBe(403);
  });

  test("without voters, every active agent is a voter", async () => {
    const res = await call(votes.POST, "POST", { ...admin, body: { question: "Defaults?", options: ["yes", "no"] } });
    const active = (await fed.db.prisma.agent.findMany({ where: { status: "active" }, orderBy: { name: "asc" } })).map(
      (a) => a.name,
    );
    expect(res.body.voters).toEqual(active);
  });
});

describe("closing, reopening and deciding", () => {
  test("only the creator or an admin resolves by hand", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "vote-member@example.com",
      name: "M",
      role: "member",
      password: "member-password-1",
    });
    const { user: other } = await createUser(fed.db.prisma, SYSTEM, {
      email: "vote-other@example.com",
      name: "O",
      role: "member",
      password: "member-password-1",
    });
    const mine = await open({}, { cookie: await sessionCookie(user.id) });
    expect(
      (await call(resolve.POST, "POST", { cookie: await sessionCookie(other.id), params: { id: mine.id } })).status,
    ).toBe(403);
    expect((await call(resolve.POST, "POST", { token: await fed.token("kimi"), params: { id: mine.id } })).status).toBe(
      403,
    );
    const res = await call(resolve.POST, "POST", { cookie: await sessionCookie(user.id), params: { id: mine.id } });
    expect(res.body).toMatchObject({ status: "escalated", result: { reason: "no_ballots" } });
    expect((await call(resolve.POST, "POST", { ...admin, params: { id: mine.id } })).status).toBe(409);
  });

  test("an admin reopens a resolved vote: ballots kept, result cleared, its escalation closed, audited", async () => {
    const v = await open();
    await cast(v.id, "claude", { option: "python", confidence: 0.8 });
    await call(resolve.POST, "POST", { ...admin, params: { id: v.id } });
    expect(await escalationOf(v.id)).toBeUndefined(); // one confident ballot: decided
    const tie = await open();
    await cast(tie.id, "claude", { option: "python", confidence: 0.8 });
    await cast(tie.id, "kimi", { option: "go", confidence: 0.8 });
    await call(resolve.POST, "POST", { ...admin, params: { id: tie.id } });
    expect(await escalationOf(tie.id)).toBeDefined();

    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "reopen-member@example.com",
      name: "M",
      role: "member",
      password: "member-password-1",
    });
    expect(
      (await call(reopen.POST, "POST", { cookie: await sessionCookie(user.id), params: { id: tie.id }, body: {} }))
        .status,
    ).toBe(403);
    const res = await call(reopen.POST, "POST", {
      ...admin,
      params: { id: tie.id },
      body: { note: "copilot should weigh in" },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "open", result: null, decidedBy: null });
    expect(res.body.ballots).toHaveLength(2);
    expect(await escalationOf(tie.id)).toBeUndefined();
    expect(
      await fed.db.prisma.auditEvent.findFirst({ where: { subject: `vote:${tie.id}`, action: "vote.reopened" } }),
    ).toMatchObject({ actor: "admin-token", details: { from: "escalated", ballotsKept: 2 } });
    const last = await cast(tie.id, "copilot", { option: "go", confidence: 0.9 });
    expect(last.body.result).toMatchObject({ status: "decided", winner: "go" });
    expect((await call(reopen.POST, "POST", { ...admin, params: { id: v.id }, body: {} })).status).toBe(200);
    expect((await call(reopen.POST, "POST", { ...admin, params: { id: v.id }, body: {} })).status).toBe(409);
  });

  test("deciding a vote escalation marks the vote decided by that person, with the note", async () => {
    const v = await open();
    await cast(v.id, "claude", { option: "python", confidence: 0.5 });
    await cast(v.id, "kimi", { option: "python", confidence: 0.6 });
    await cast(v.id, "copilot", { option: "go", confidence: 0.5 });
    const escalation = await escalationOf(v.id);
    expect(escalation.reason).toMatch(/Low confidence: python leads/);

    const wrong = await call(decide.POST, "POST", {
      ...admin,
      params: { id: escalation.id },
      body: { option: "rust" },
    });
    expect(wrong.status).toBe(422);
    const none = await call(decide.POST, "POST", { ...admin, params: { id: escalation.id }, body: {} });
    expect(none.status).toBe(422);
    const res = await call(decide.POST, "POST", {
      ...admin,
      params: { id: escalation.id },
      body: { option: "python", note: "python is what the team knows" },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: "resolved",
      resolvedBy: "admin-token",
      resolution: { action: "decide", option: "python", note: "python is what the team knows" },
    });
    const after = await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } });
    expect(after.body).toMatchObject({
      status: "decided",
      decidedBy: "admin-token",
      result: {
        status: "decided",
        winner: "python",
        reason: "low_confidence",
        decidedBy: "admin-token",
        note: "python is what the team knows",
      },
    });
    expect(
      (await call(decide.POST, "POST", { ...admin, params: { id: escalation.id }, body: { option: "go" } })).status,
    ).toBe(409);
  });

  test("votes awaiting an agent's ballot are in its briefing, with the time left", async () => {
    const v = await open({ closesAt: new Date(Date.now() + 3600_000).toISOString() });
    const token = await fed.token("kimi");
    const before = await call(briefing.GET, "GET", { token, params: { name: "kimi" } });
    const listed = before.body.votesAwaitingBallot.find((x: { id: string }) => x.id === v.id);
    expect(listed).toMatchObject({ question: "Which language for the CLI?", options: ["python", "typescript", "go"] });
    expect(listed.timeLeftSeconds).toBeGreaterThan(3500);
    expect(listed.timeLeftSeconds).toBeLessThanOrEqual(3600);
    await cast(v.id, "kimi", { option: "go", confidence: 0.9 });
    const after = await call(briefing.GET, "GET", { token, params: { name: "kimi" } });
    expect(after.body.votesAwaitingBallot.find((x: { id: string }) => x.id === v.id)).toBeUndefined();
  });
});

describe("concurrency (meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", () => {
  test("twenty concurrent ballots from twenty agents are all counted and the vote resolves exactly once", async () => {
    const names = Array.from({ length: 20 }, (_, i) => `voter-${String(i).padStart(2, "0")}`);
    for (const name of names)
      expect((await call(agentList.POST, "POST", { ...admin, body: { name } })).status).toBe(201);
    const tokens = await Promise.all(names.map((n) => fed.token(n)));
    const v = await open({ voters: names, options: ["yes", "no"] });

    const results = await Promise.all(
      tokens.map((token, i) =>
        call(ballots.POST, "POST", {
          token,
          params: { id: v.id },
          body: { option: i < 14 ? "yes" : "no", confidence: 0.9 },
        }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(names.map(() => 200));
    const after = await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } });
    expect(after.body.ballots).toHaveLength(20);
    expect(after.body.result).toMatchObject({ status: "decided", winner: "yes", reason: "majority" });
    expect(after.body.result.scores.yes).toBeCloseTo(14 * 0.9, 9);
    expect(
      await fed.db.prisma.auditEvent.count({
        where: { subject: `vote:${v.id}`, action: { in: ["vote.decided", "vote.escalated"] } },
      }),
    ).toBe(1);
  });

  test("two app instances' sweeps closing the same votes give one result and one audit event each", async () => {
    const made = await Promise.all(
      Array.from({ length: 6 }, () => open({ closesAt: new Date(Date.now() + 60_000).toISOString() })),
    );
    for (const v of made) {
      await cast(v.id, "claude", { option: "python", confidence: 0.9 });
      await closeNow(v.id);
    }
    const second = createPrisma(fed.db.url, 4);
    try {
      const [a, b] = await Promise.all([closeDueVotes(fed.db.prisma), closeDueVotes(second)]);
      expect(a + b).toBe(6);
    } finally {
      await second.$disconnect();
    }
    for (const v of made) {
      expect(
        await fed.db.prisma.auditEvent.count({
          where: { subject: `vote:${v.id}`, action: { in: ["vote.decided", "vote.escalated"] } },
        }),
      ).toBe(1);
      expect((await call(voteOne.GET, "GET", { ...admin, params: { id: v.id } })).body.result).toMatchObject({
        status: "decided",
        winner: "python",
      });
    }
  });
});
