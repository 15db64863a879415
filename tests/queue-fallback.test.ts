// Fallback chains in the claim: while claude cannot work, copilot-opus (its fallback) takes claude's tasks;
// agents outside the chain never do; and on many random chains the claim, and the SQL rule it is built on
// (claimableAssignees), agree with the rule as written here.
import { describe, expect, test } from "vitest";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as agentList from "@/app/api/v1/agents/route";
import * as agentOne from "@/app/api/v1/agents/[name]/route";
import { claimableAssignees, workingAgent } from "@/lib/queue/eligible";
import { call, leaseOf } from "./helpers/api";
import { admin, seededFederation, taskMaker } from "./helpers/fixtures";
import { seededRandom } from "@/lib/random";

const fed = seededFederation();

const createTask = taskMaker("Fallback task");

async function setAgent(name: string, body: Record<string, unknown>): Promise<void> {
  const res = await call(agentOne.PATCH, "PATCH", { ...admin, params: { name }, body });
  expect(res.status).toBe(200);
}

interface AgentLink {
  name: string;
  status: string;
  fallbackName: string | null;
}

/**
 * The rule, as the contract states it: a caller may claim its own tasks, and those of every agent that is
 * away (not active) whose fallback chain reaches the caller through agents that are away too.
 */
/** The contract's rule seen from routing: who works for `name` (itself if active, else down its chain). */
function expectedWorking(agents: AgentLink[], name: string): { agent: string; via: string[] } | null {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const via: string[] = [];
  for (let cur: string | null = name; cur && !via.includes(cur); cur = byName.get(cur)?.fallbackName ?? null) {
    if (byName.get(cur)?.status === "active") return { agent: cur, via };
    via.push(cur);
  }
  return null;
}

function expectedAssignees(agents: AgentLink[], caller: string): string[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const away = (name: string) => (byName.get(name)?.status ?? "offline") !== "active";
  const result = [caller];
  for (const agent of agents) {
    if (agent.name === caller || !away(agent.name)) continue;
    const seen = new Set([agent.name]);
    for (let next = agent.fallbackName; next && !seen.has(next); next = byName.get(next)?.fallbackName ?? null) {
      if (next === caller) {
        result.push(agent.name);
        break;
      }
      seen.add(next);
      if (!away(next)) break;
    }
  }
  return result;
}

const claimAs = async (agent: string, body: Record<string, unknown> = {}) =>
  call(claim.POST, "POST", { token: await fed.agentToken(agent), body });

describe("claude's fallback chain", () => {
  test("the seed makes copilot-opus claude's fallback", async () => {
    const res = await call(agentOne.GET, "GET", { ...admin, params: { name: "claude" } });
    expect(res.body.fallback).toBe("copilot-opus");
  });

  test("while claude is active, copilot-opus does not get claude's tasks", async () => {
    const t = await createTask({ type: "fb-active", assignee: "claude" });
    expect((await claimAs("copilot-opus", { types: ["fb-active"] })).status).toBe(204);
    expect((await claimAs("claude", { types: ["fb-active"] })).body.id).toBe(t.id);
  });

  test("claude rate-limited: copilot-opus claims claude's task for it, and the claim event says so", async () => {
    const t = await createTask({ type: "fb-limited", assignee: "claude" });
    await setAgent("claude", { status: "rate_limited" });
    try {
      const res = await claimAs("copilot-opus", { types: ["fb-limited"] });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: t.id, state: "in_progress", assignee: "claude", claimedBy: "copilot-opus" });
      const detail = await call(taskOne.GET, "GET", { ...admin, params: { id: t.id } });
      const claimed = detail.body.events.filter((e: { action: string }) => e.action === "task.claimed");
      expect(claimed).toHaveLength(1);
      expect(claimed[0].details).toMatchObject({ agent: "copilot-opus", fallbackFor: "claude" });
    } finally {
      await setAgent("claude", { status: "active" });
    }
  });

  test("a task an agent claims for itself carries no fallbackFor in its claim event", async () => {
    const t = await createTask({ type: "fb-own", assignee: "copilot-opus" });
    expect((await claimAs("copilot-opus", { types: ["fb-own"] })).body.id).toBe(t.id);
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.claimed", subject: `task:${t.id}` },
    });
    expect(event.details).not.toHaveProperty("fallbackFor");
  });

  test("claude back to active: copilot-opus gets 204 for claude's tasks and claude claims them itself", async () => {
    const t = await createTask({ type: "fb-back", assignee: "claude" });
    await setAgent("claude", { status: "rate_limited" });
    await setAgent("claude", { status: "active" });

    expect((await claimAs("copilot-opus", { types: ["fb-back"] })).status).toBe(204);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("pending");
    expect((await claimAs("claude", { types: ["fb-back"] })).body).toMatchObject({ id: t.id, claimedBy: "claude" });
  });

  test.each(["standby", "offline"])("claude %s: copilot-opus takes claude's task too", async (status) => {
    const type = `fb-${status}`;
    const t = await createTask({ type, assignee: "claude" });
    await setAgent("claude", { status });
    try {
      expect((await claimAs("kimi", { types: [type] })).status).toBe(204);
      expect((await claimAs("copilot-opus", { types: [type] })).body).toMatchObject({
        id: t.id,
        claimedBy: "copilot-opus",
        assignee: "claude",
      });
    } finally {
      await setAgent("claude", { status: "active" });
    }
  });

  test("kimi, outside claude's chain, never gets claude's tasks whatever claude's status", async () => {
    const t = await createTask({ type: "fb-outsider", assignee: "claude" });
    try {
      for (const status of ["active", "rate_limited", "standby", "offline"]) {
        await setAgent("claude", { status });
        expect((await claimAs("kimi", { types: ["fb-outsider"] })).status).toBe(204);
      }
      expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("pending");
    } finally {
      await setAgent("claude", { status: "active" });
    }
  });

  test("a fallback claim competes with the agent's own work by priority", async () => {
    const own = await createTask({ type: "fb-mixed", assignee: "copilot-opus", priority: "normal" });
    const claudes = await createTask({ type: "fb-mixed", assignee: "claude", priority: "urgent" });
    await setAgent("claude", { status: "rate_limited" });
    try {
      expect((await claimAs("copilot-opus", { types: ["fb-mixed"] })).body.id).toBe(claudes.id);
      expect((await claimAs("copilot-opus", { types: ["fb-mixed"] })).body.id).toBe(own.id);
    } finally {
      await setAgent("claude", { status: "active" });
    }
  });

  test("copilot-opus, holding claude's task, completes it and the outcome is credited to copilot-opus", async () => {
    const t = await createTask({ type: "fb-credit", assignee: "claude" });
    await setAgent("claude", { status: "rate_limited" });
    try {
      expect((await claimAs("copilot-opus", { types: ["fb-credit"] })).body.id).toBe(t.id);
      // claude may not finish work copilot-opus holds, even once it is back.
      await setAgent("claude", { status: "active" });
      const byClaude = await call(complete.POST, "POST", {
        token: await fed.agentToken("claude"),
        lease: leaseOf(t.id),
        params: { id: t.id },
        body: { success: true },
      });
      expect(byClaude.status).toBe(403);
      const done = await call(complete.POST, "POST", {
        token: await fed.agentToken("copilot-opus"),
        lease: leaseOf(t.id),
        params: { id: t.id },
        body: { success: true },
      });
      expect(done.status).toBe(200);
      expect(done.body.task).toMatchObject({ state: "completed", assignee: "claude", claimedBy: "copilot-opus" });
      const outcomes = await fed.db.prisma.outcome.findMany({ where: { taskId: t.id } });
      expect(outcomes.map((o) => o.agent)).toEqual(["copilot-opus"]);
    } finally {
      await setAgent("claude", { status: "active" });
    }
  });
});

describe("longer chains", () => {
  test("work passes down a chain through agents that are away, and stops at the first active one", async () => {
    // hop-a → hop-b → hop-c
    for (const [name, fallback] of [
      ["hop-c", null],
      ["hop-b", "hop-c"],
      ["hop-a", "hop-b"],
    ] as const) {
      const res = await call(agentList.POST, "POST", { ...admin, body: { name, ...(fallback ? { fallback } : {}) } });
      expect(res.status).toBe(201);
    }
    const t = await createTask({ type: "fb-hops", assignee: "hop-a" });
    await setAgent("hop-a", { status: "offline" });

    // hop-b is active, so it takes hop-a's work and hop-c does not.
    expect((await claimAs("hop-c", { types: ["fb-hops"] })).status).toBe(204);
    await setAgent("hop-b", { status: "standby" });
    const res = await claimAs("hop-c", { types: ["fb-hops"] });
    expect(res.body).toMatchObject({ id: t.id, claimedBy: "hop-c", assignee: "hop-a" });
    const event = await fed.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "task.claimed", subject: `task:${t.id}` },
    });
    expect(event.details).toMatchObject({ fallbackFor: "hop-a" });
  });

  test("the claim route, routing and their one SQL rule agree with the contract's fallback rule on random chains", async () => {
    const names = ["mesh-a", "mesh-b", "mesh-c", "mesh-d", "mesh-e"];
    for (const name of names)
      expect((await call(agentList.POST, "POST", { ...admin, body: { name } })).status).toBe(201);
    const statuses = ["active", "standby", "rate_limited", "offline"] as const;
    const random = seededRandom(20261124); // the same graphs on every run
    let interesting = 0;
    for (let graph = 0; graph < 12; graph++) {
      // An acyclic graph: each agent may fall back only to one later in a shuffled order.
      const order = [...names].sort(() => random() - 0.5);
      const links: AgentLink[] = order.map((name, i) => {
        const later = order.slice(i + 1);
        const fallbackName = later.length && random() < 0.75 ? later[Math.floor(random() * later.length)]! : null;
        return { name, status: statuses[Math.floor(random() * statuses.length)]!, fallbackName };
      });
      for (const name of names) await setAgent(name, { fallback: null });
      for (const l of links) await setAgent(l.name, { status: l.status, fallback: l.fallbackName });

      const type = `mesh-${graph}`;
      const assigneeOf = new Map<string, string>();
      for (const name of names) assigneeOf.set((await createTask({ type, assignee: name })).id, name);

      for (const caller of names) {
        const expected = expectedAssignees(links, caller).sort();
        expect((await claimableAssignees(fed.db.prisma, caller)).sort()).toEqual(expected);
        // Routing reads the same rule: whoever may claim the caller's tasks is who routing sends them to.
        expect(await workingAgent(fed.db.prisma, caller)).toEqual(expectedWorking(links, caller));
        if (expected.length > 1) interesting++;
        const held: string[] = [];
        for (;;) {
          const res = await claimAs(caller, { types: [type] });
          if (res.status === 204) break;
          expect(res.status).toBe(200);
          held.push(res.body.id);
          expect(held.length).toBeLessThanOrEqual(names.length);
        }
        const got = held.map((id) => assigneeOf.get(id)!).sort();
        // Give the tasks back for the next caller.
        for (const id of held) {
          expect(
            (
              await call(release.POST, "POST", {
                token: await fed.agentToken(caller),
                lease: leaseOf(id),
                params: { id },
                body: {},
              })
            ).status,
          ).toBe(200);
        }
        expect({ graph, caller, links, got }).toEqual({ graph, caller, links, got: expected });
      }
    }
    // The graphs must exercise fallbacks, not only agents taking their own work.
    expect(interesting).toBeGreaterThan(5);
  });
});
