// Rate limits that end by themselves: an agent sets `rate_limited` with `until`; its work flows to its fallback
// meanwhile; at `until` it is active again with no call (the sweep writes it down), both changes in the audit
// log, and its work comes back to it.
import { afterEach, describe, expect, test } from "vitest";
import * as agent from "@/app/api/v1/agents/[name]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as tasks from "@/app/api/v1/tasks/route";
import * as log from "@/app/api/v1/log/route";
import * as agents from "@/app/api/v1/agents/route";
import * as dashboard from "@/app/api/v1/analytics/dashboard/route";
import * as routeTask from "@/app/api/v1/route/route";
import * as votes from "@/app/api/v1/votes/route";
import { startSweeps, stopSweeps } from "@/lib/system/sweeps";
import { agentsNow } from "@/lib/agents/status";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

afterEach(async () => {
  stopSweeps();
  await call(agent.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { status: "active" } });
});

async function waitFor<T>(probe: () => Promise<T | false>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== false) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("rate limits with until", () => {
  test("5 s ahead: the fallback claims meanwhile; after 5 s the agent is active again without any call", async () => {
    const claude = await fed.token("claude");
    const opus = await fed.token("copilot-opus");
    const type = unique("research");
    startSweeps(250); // what the server runs; nothing below asks for the limit to end

    const until = new Date(Date.now() + 5_000).toISOString();
    const limited = await call(agent.PATCH, "PATCH", {
      token: claude,
      params: { name: "claude" },
      body: { status: "rate_limited", until },
    });
    expect(limited.status).toBe(200);
    expect(limited.body).toMatchObject({ status: "rate_limited", statusUntil: until });

    const first = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Survey queue libraries", type, assignee: "claude" },
    });
    const taken = await call(claim.POST, "POST", { token: opus, body: { types: [type] } });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id: first.body.id, claimedBy: "copilot-opus", assignee: "claude" });

    // At `until` the sweep ends the limit by itself.
    // At `until` the API shows claude active at once; the sweep writes it down (and logs it) by itself.
    const row = await waitFor(async () => {
      const r = await fed.db.prisma.agent.findUniqueOrThrow({ where: { name: "claude" } });
      return r.status === "active" ? r : false;
    }, 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
    expect(row).toMatchObject({ status: "active", statusUntil: null });
    const ended = await call(agent.GET, "GET", { ...admin, params: { name: "claude" } });
    expect(ended.body).toMatchObject({ status: "active", statusUntil: null });

    // Both changes are in the audit log.
    const events = await call(log.GET, "GET", {
      ...admin,
      query: { subject: "agent:claude", action: "agent.status_changed" },
    });
    const [end, start] = events.body.items;
    expect(end).toMatchObject({
      actor: "system",
      details: { status: { from: "rate_limited", to: "active" }, reason: "rate limit ended" },
    });
    expect(start).toMatchObject({
      actor: "claude",
      details: { status: { from: "active", to: "rate_limited" }, until: { to: until } },
    });

    // Claude's work is Claude's again: the fallback no longer takes it, Claude does.
    const second = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Compare the findings", type, assignee: "claude" },
    });
    expect((await call(claim.POST, "POST", { token: opus, body: { types: [type] } })).status).toBe(204);
    const mine = await call(claim.POST, "POST", { token: claude, body: { types: [type] } });
    expect(mine.body).toMatchObject({ id: second.body.id, claimedBy: "claude" });
  });

  test("a limit whose until has passed is over for every reader before the sweep writes it down", async () => {
    const claude = await fed.token("claude");
    const opus = await fed.token("copilot-opus");
    const type = unique("lapsed");
    const active = async () => (await call(dashboard.GET, "GET", admin)).body.activeAgents as number;
    // Limited without an end: claude is not active anywhere.
    await fed.db.prisma.agent.update({
      where: { name: "claude" },
      data: { status: "rate_limited", statusUntil: null },
    });
    const whileLimited = await active();
    // Its `until` passed a minute ago, and no sweep runs: the stored status still says rate_limited.
    await fed.db.prisma.agent.update({
      where: { name: "claude" },
      data: { statusUntil: new Date(Date.now() - 60_000) },
    });
    expect((await fed.db.prisma.agent.findUniqueOrThrow({ where: { name: "claude" } })).status).toBe("rate_limited");

    // The registry, one agent and the list.
    const one = await call(agent.GET, "GET", { ...admin, params: { name: "claude" } });
    expect(one.body).toMatchObject({ status: "active", statusUntil: null });
    const all = await call(agents.GET, "GET", admin);
    expect(all.body.items.find((a: { name: string }) => a.name === "claude")).toMatchObject({ status: "active" });
    // The KPIs count it.
    expect(await active()).toBe(whileLimited + 1);
    // Routing sees it active.
    const routed = await call(routeTask.POST, "POST", { ...admin, body: { task: "Survey the options", type } });
    expect(routed.body.candidates.find((c: { agent: string }) => c.agent === "claude")).toMatchObject({
      status: "active",
    });
    // Its fallback no longer takes its work; claude does.
    const task = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Read the sources", type, assignee: "claude" },
    });
    expect((await call(claim.POST, "POST", { token: opus, body: { types: [type] } })).status).toBe(204);
    const mine = await call(claim.POST, "POST", { token: claude, body: { types: [type] } });
    expect(mine.body).toMatchObject({ id: task.body.id, claimedBy: "claude" });
    // A vote's default voters include it.
    const vote = await call(votes.POST, "POST", { ...admin, body: { question: "Which one?", options: ["a", "b"] } });
    expect(vote.body.voters).toContain("claude");
    // Renaming it changes its name only: its status did not change.
    const renamed = await call(agent.PATCH, "PATCH", {
      ...admin,
      params: { name: "claude" },
      body: { displayName: "Claude (renamed)" },
    });
    expect(renamed.body).toMatchObject({ displayName: "Claude (renamed)", status: "active" });
    const [latest] = (await call(log.GET, "GET", { ...admin, query: { subject: "agent:claude", limit: "1" } })).body
      .items;
    expect(latest).toMatchObject({ action: "agent.updated", details: { displayName: { to: "Claude (renamed)" } } });
    expect(latest.details).not.toHaveProperty("status");
    expect(latest.details).not.toHaveProperty("until");
    await call(agent.PATCH, "PATCH", { ...admin, params: { name: "claude" }, body: { displayName: "Claude Code" } });
    // The registry's reading of an agent has every field Prisma's has.
    const [now] = await agentsNow(fed.db.prisma, "claude");
    const stored = await fed.db.prisma.agent.findUniqueOrThrow({ where: { name: "claude" } });
    expect(Object.keys(now!).sort()).toEqual(Object.keys(stored).sort());
    expect(now!.createdAt).toEqual(stored.createdAt);
  });

  test("an agent may rate-limit only itself; until must be ahead and goes with rate_limited", async () => {
    const kimi = await fed.token("kimi");
    const ahead = new Date(Date.now() + 60_000).toISOString();
    const other = await call(agent.PATCH, "PATCH", {
      token: kimi,
      params: { name: "claude" },
      body: { status: "rate_limited", until: ahead },
    });
    expect(other.status).toBe(403);
    const past = await call(agent.PATCH, "PATCH", {
      ...admin,
      params: { name: "claude" },
      body: { status: "rate_limited", until: "2020-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(422);
    expect(past.body.errors).toEqual([
      expect.objectContaining({ path: "until", message: "`until` has already passed." }),
    ]);
    const wrong = await call(agent.PATCH, "PATCH", {
      ...admin,
      params: { name: "claude" },
      body: { status: "offline", until: ahead },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].path).toBe("until");
  });
});
