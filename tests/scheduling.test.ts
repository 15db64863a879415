// Auto-scheduling through the API: the switch, follow-ups, loops stopped by depth, exactly-once spawning,
// priority inheritance, rule validation and access.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as state from "@/app/api/v1/federation/state/route";
import * as rules from "@/app/api/v1/rules/route";
import * as ruleOne from "@/app/api/v1/rules/[id]/route";
import * as preview from "@/app/api/v1/rules/preview/route";
import * as log from "@/app/api/v1/log/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, leaseOf } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };

async function createAndFinish(agentToken: string, body: Record<string, unknown>, result = { success: true }) {
  const created = await call(tasks.POST, "POST", { ...admin, body });
  expect(created.status).toBe(201);
  const claimed = await call(claim.POST, "POST", { token: agentToken, body: { types: [body.type] } });
  expect(claimed.body.id).toBe(created.body.id);
  return {
    id: created.body.id as string,
    done: await call(complete.POST, "POST", {
      token: agentToken,
      lease: leaseOf(created.body.id),
      params: { id: created.body.id },
      body: result,
    }),
  };
}

/** Tests that need auto-scheduling on turn it on themselves, so each passes alone. */
const switchOn = async () =>
  expect((await call(state.PATCH, "PATCH", { ...admin, body: { autoScheduling: true } })).status).toBe(200);

describe("auto-scheduling", () => {
  test("starts off, and while off a completion creates nothing", async () => {
    expect((await call(state.GET, "GET", admin)).body.autoScheduling).toBe(false);
    const claude = await fed.token("claude");
    const { id, done } = await createAndFinish(claude, {
      title: "Research caching",
      type: "research",
      assignee: "claude",
    });
    expect(done.status).toBe(200);
    expect(done.body.followUps).toEqual([]);
    expect(await fed.db.prisma.task.count({ where: { parentId: id } })).toBe(0);
  });

  test("switched on, a research task completed by claude creates one implementation task for kimi", async () => {
    const on = await call(state.PATCH, "PATCH", { ...admin, body: { autoScheduling: true } });
    expect(on.body).toMatchObject({ autoScheduling: true, updatedBy: "admin-token" });
    const events = await call(log.GET, "GET", { ...admin, query: { action: "federation.auto_scheduling_on" } });
    expect(events.body.items).toHaveLength(1);

    const claude = await fed.token("claude");
    const { id, done } = await createAndFinish(claude, {
      title: "Research distributed databases",
      type: "research",
      assignee: "claude",
      priority: "high",
    });
    expect(done.body.followUps).toHaveLength(1);
    const rule = (await call(rules.GET, "GET", admin)).body.items.find(
      (r: { name: string }) => r.name === "Research → implementation",
    );
    expect(done.body.followUps[0]).toMatchObject({
      title: "Implement: Research distributed databases",
      type: "implementation",
      assignee: "kimi",
      source: "auto",
      parentId: id,
      ruleId: rule.id,
      chainDepth: 1,
      priority: "high",
      dependsOn: [id],
      blocked: false,
    });
    const parent = await call(taskOne.GET, "GET", { ...admin, params: { id } });
    expect(parent.body.followUps.map((f: { id: string }) => f.id)).toEqual([done.body.followUps[0].id]);
  });

  test("follow-ups carry the finished task's summary and output, and title prefixes do not pile up", async () => {
    await switchOn();
    const [claude, kimi] = [await fed.token("claude"), await fed.token("kimi")];
    const finish = async (token: string, id: string, body: Record<string, unknown>) => {
      // Follow-ups other tests left waiting would be claimed first.
      await fed.db.prisma.task.updateMany({
        where: { state: "pending", type: String(body.type), id: { not: id } },
        data: { state: "cancelled" },
      });
      const claimed = await call(claim.POST, "POST", { token, body: { types: [body.type] } });
      expect(claimed.body.id).toBe(id);
      const { type: _type, ...rest } = body;
      return call(complete.POST, "POST", { token, lease: leaseOf(id), params: { id }, body: rest });
    };
    const research = await createAndFinish(
      claude,
      { title: "Pick a queue library", type: "research", assignee: "claude" },
      { success: true, summary: "pg-boss fits", output: { candidates: ["pg-boss", "graphile-worker"] } } as never,
    );
    const impl = research.done.body.followUps[0];
    expect(impl.title).toBe("Implement: Pick a queue library");
    expect(impl.description).toContain(
      `Follow-up of ${research.id} “Pick a queue library” (research, completed by claude).`,
    );
    expect(impl.description).toContain("Summary: pg-boss fits");
    expect(impl.description).toContain('"graphile-worker"');
    const review = (await finish(kimi, impl.id, { type: "implementation", success: true, summary: "Wired in" })).body
      .followUps[0];
    expect(review.title).toBe("Review: Pick a queue library");
    expect(review.description).toContain("Summary: Wired in");
    const rework = (
      await finish(claude, review.id, {
        type: "review",
        success: true,
        verdict: "changes_requested",
        summary: "Add retries",
      })
    ).body.followUps[0];
    expect(rework.title).toBe("Rework after review: Pick a queue library");
    expect(rework.assignee).toBe("kimi");
    expect(rework.description).toContain("Summary: Add retries");
  });

  test("completing the same task twice, or from two clients at once, creates the follow-ups once (concurrency: meaningful on PostgreSQL, where CI runs it; PGlite runs one transaction at a time)", async () => {
    await switchOn();
    const claude = await fed.token("claude");
    const created = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Research queues", type: "research", assignee: "claude" },
    });
    await call(claim.POST, "POST", { token: claude, body: { types: ["research"] } });
    const second = await fed.token("claude");
    const [a, b] = await Promise.all([
      call(complete.POST, "POST", {
        token: claude,
        lease: leaseOf(created.body.id),
        params: { id: created.body.id },
        body: { success: true },
      }),
      call(complete.POST, "POST", {
        token: second,
        lease: leaseOf(created.body.id),
        params: { id: created.body.id },
        body: { success: true },
      }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    const again = await call(complete.POST, "POST", {
      token: claude,
      lease: leaseOf(created.body.id),
      params: { id: created.body.id },
      body: { success: true },
    });
    expect(again.body).toEqual(a.body);
    expect(await fed.db.prisma.task.count({ where: { parentId: created.body.id } })).toBe(1);
  });

  test("a rule chain that loops stops at maxChainDepth, and the stop is in the audit log", async () => {
    await switchOn();
    const ollama = await fed.token("ollama");
    const loop = await call(rules.POST, "POST", {
      ...admin,
      body: {
        name: "Docs forever",
        when: { type: "documentation", agent: "ollama" },
        then: [{ type: "documentation", assignee: "ollama", titleTemplate: "More: {{title}}" }],
        maxChainDepth: 2,
      },
    });
    expect(loop.status).toBe(201);
    let current = (
      await call(tasks.POST, "POST", { ...admin, body: { title: "Docs", type: "documentation", assignee: "ollama" } })
    ).body.id as string;
    const depths: number[] = [];
    for (;;) {
      // Before the depth-2 task completes, a person lowers the rule's limit: the stop logs the limit in force.
      if (depths.length === 2)
        await call(ruleOne.PATCH, "PATCH", { ...admin, params: { id: loop.body.id }, body: { maxChainDepth: 1 } });
      await call(claim.POST, "POST", { token: ollama, body: { types: ["documentation"] } });
      const done = await call(complete.POST, "POST", {
        token: ollama,
        lease: leaseOf(current),
        params: { id: current },
        body: { success: true },
      });
      if (!done.body.followUps.length) break;
      depths.push(done.body.followUps[0].chainDepth);
      current = done.body.followUps[0].id;
    }
    expect(depths).toEqual([1, 2]);
    const stopped = await call(log.GET, "GET", { ...admin, query: { action: "schedule.chain_stopped" } });
    expect(stopped.body.items[0]).toMatchObject({
      subject: `task:${current}`,
      details: { ruleId: loop.body.id, chainDepth: 3, maxChainDepth: 1 },
    });
    await call(ruleOne.PATCH, "PATCH", { ...admin, params: { id: loop.body.id }, body: { enabled: false } });
  });

  test("an urgent task that depends on a normal pending task raises that task to urgent", async () => {
    const base = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Schema migration", type: "implementation", assignee: "kimi" },
    });
    const deeper = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Backfill", type: "implementation", assignee: "kimi", priority: "low" },
    });
    await fed.db.prisma.taskDependency.create({ data: { taskId: base.body.id, dependsOnId: deeper.body.id } });
    const urgent = await call(tasks.POST, "POST", {
      ...admin,
      body: {
        title: "Hotfix",
        type: "implementation",
        assignee: "kimi",
        priority: "urgent",
        dependsOn: [base.body.id],
      },
    });
    expect(urgent.status).toBe(201);
    for (const id of [base.body.id, deeper.body.id]) {
      const t = await call(taskOne.GET, "GET", { ...admin, params: { id } });
      expect(t.body.priority).toBe("urgent");
      expect(t.body.events.some((e: { action: string }) => e.action === "task.priority_raised")).toBe(true);
    }
  });

  test("rules naming an unknown agent, an unknown type or an unknown placeholder are refused with 422", async () => {
    const before = await fed.db.prisma.scheduleRule.count();
    const cases = [
      [
        {
          name: "x",
          when: { type: "research", agent: "ghost" },
          then: [{ type: "review", titleTemplate: "{{title}}" }],
        },
        "when.agent",
      ],
      [{ name: "x", when: { type: "juggling" }, then: [{ type: "review", titleTemplate: "{{title}}" }] }, "when.type"],
      [
        {
          name: "x",
          when: { type: "research" },
          then: [{ type: "review", assignee: "ghost", titleTemplate: "{{title}}" }],
        },
        "then.0.assignee",
      ],
      [
        { name: "x", when: { type: "research" }, then: [{ type: "review", titleTemplate: "{{title}} {{owner}}" }] },
        "then.0.titleTemplate",
      ],
    ] as const;
    for (const [body, path] of cases) {
      const res = await call(rules.POST, "POST", { ...admin, body });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await fed.db.prisma.scheduleRule.count()).toBe(before);
  });

  test("only admins change rules and the switch; a member can preview", async () => {
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "member@example.com",
      name: "M",
      role: "member",
      password: "member-password-1",
    });
    const cookie = await sessionCookie(user.id);
    expect(
      (
        await call(rules.POST, "POST", {
          cookie,
          body: { name: "x", when: { type: "research" }, then: [{ type: "review", titleTemplate: "t" }] },
        })
      ).status,
    ).toBe(403);
    expect((await call(state.PATCH, "PATCH", { cookie, body: { autoScheduling: false } })).status).toBe(403);
    const kimi = await fed.token("kimi");
    expect((await call(state.PATCH, "PATCH", { token: kimi, body: { autoScheduling: false } })).status).toBe(403);
    const p = await call(preview.POST, "POST", {
      cookie,
      body: { type: "research", agent: "claude", title: "Research X" },
    });
    expect(p.status).toBe(200);
    expect(p.body.followUps[0]).toMatchObject({ title: "Implement: Research X", assignee: "kimi", chainDepth: 1 });
    expect(await fed.db.prisma.task.count({ where: { title: "Implement: Research X" } })).toBe(0);
  });
});
