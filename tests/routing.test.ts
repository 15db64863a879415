// Predictive routing through the API: the v2 formula, compare, training, restarts, fallbacks, routing on creation.
import { describe, expect, test } from "vitest";
import * as route from "@/app/api/v1/route/route";
import * as train from "@/app/api/v1/route/train/route";
import * as model from "@/app/api/v1/route/model/route";
import * as agents from "@/app/api/v1/agents/[name]/route";
import * as tasks from "@/app/api/v1/tasks/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as decide from "@/app/api/v1/escalations/[id]/decide/route";
import * as rules from "@/app/api/v1/routing-rules/route";
import { createPrisma } from "@/lib/db/client";
import { loadModel } from "@/lib/routing/state";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const routeIt = (body: Record<string, unknown>) => call(route.POST, "POST", { token: ADMIN_TOKEN, body });

describe("routing", () => {
  test("with 60 samples the breakdown shows mlConfidence 0.6, and every candidate's final follows the formula", async () => {
    for (let i = 0; i < 60; i++) {
      const res = await call(train.POST, "POST", {
        token: ADMIN_TOKEN,
        body: {
          task: `Research topic ${i % 7} of distributed databases`,
          agent: i % 3 ? "claude" : "kimi",
          success: i % 4 !== 0,
        },
      });
      expect(res.status).toBe(201);
    }
    const res = await routeIt({ task: "Research distributed databases", explain: true });
    expect(res.status).toBe(200);
    expect(res.body.agent).toBe("claude");
    expect(res.body.method).toBe("hybrid");
    expect(res.body.breakdown).toMatchObject({
      ruleScore: 0.95,
      mlConfidence: 0.6,
      samples: 60,
      weights: { rules: 0.6, ml: 0.4 },
    });
    expect(res.body.breakdown.mlScore).toBe(res.body.candidates[0].mlScore);
    expect(res.body.candidates.length).toBe(6);
    for (const c of res.body.candidates)
      expect(Math.abs(c.final - (0.6 * c.ruleScore + 0.4 * c.mlScore * 0.6))).toBeLessThan(1e-9);
    expect(res.body.confidence).toBe(res.body.candidates[0].final);
  });

  test("compare returns both versions and whether they agree; v1 ignores the model", async () => {
    const res = await routeIt({ task: "Research distributed databases", compare: true });
    expect(res.body.compare.v1.agent).toBe("claude");
    expect(res.body.compare.v2.agent).toBe("claude");
    expect(res.body.compare.agree).toBe(true);
    const v1 = await routeIt({ task: "Research distributed databases", version: "v1", explain: true });
    expect(v1.body.method).toBe("rules");
    for (const c of v1.body.candidates) {
      expect(c.mlScore).toBe(0);
      expect(c.final).toBe(c.ruleScore);
    }
    expect(v1.body.confidence).toBe(0.95);
  });

  test("training moves the ML score in the expected direction, and a restart keeps the model", async () => {
    const text = "Build the payment endpoint";
    const mlOf = async (agent: string) =>
      (await routeIt({ task: text })).body.candidates.find((c: { agent: string }) => c.agent === agent)
        .mlScore as number;
    // The model knows other agents too (whatever ran before this test).
    for (const agent of ["claude", "kimi"]) {
      await call(train.POST, "POST", {
        token: ADMIN_TOKEN,
        body: { task: "Research a protocol", agent, success: true },
      });
    }
    const before = await mlOf("copilot");
    const samplesBefore = (await call(model.GET, "GET", { token: ADMIN_TOKEN })).body.samples as number;
    for (let i = 0; i < 12; i++)
      await call(train.POST, "POST", {
        token: ADMIN_TOKEN,
        body: { task: `Build the payment endpoint v${i}`, agent: "copilot", success: true },
      });
    const afterSuccess = await mlOf("copilot");
    expect(afterSuccess).toBeGreaterThan(before);
    for (let i = 0; i < 30; i++)
      await call(train.POST, "POST", {
        token: ADMIN_TOKEN,
        body: { task: `Build the payment endpoint again ${i}`, agent: "copilot", success: false },
      });
    const afterFailure = await mlOf("copilot");
    expect(afterFailure).toBeLessThan(afterSuccess);

    const info = (await call(model.GET, "GET", { token: ADMIN_TOKEN })).body;
    expect(info.samples).toBe(samplesBefore + 42);
    expect(info.vocabularySize).toBeGreaterThan(5);
    expect(info.agents).toEqual(expect.arrayContaining(["claude", "copilot", "kimi"]));
    // A restart: a new process has no cached model and a new connection pool; the database is the truth.
    delete (globalThis as { federationRoutingModel?: unknown }).federationRoutingModel;
    const fresh = createPrisma(fed.db.url, 2);
    const reloaded = await loadModel(fresh);
    await fresh.$disconnect();
    expect(reloaded.info.samples).toBe(samplesBefore + 42);
    expect(await mlOf("copilot")).toBeCloseTo(afterFailure, 12);
  });

  test("an agent on rate_limited is never returned: its fallback is, with fallbackApplied", async () => {
    expect(
      (
        await call(agents.PATCH, "PATCH", {
          token: ADMIN_TOKEN,
          params: { name: "claude" },
          body: { status: "rate_limited" },
        })
      ).status,
    ).toBe(200);
    const res = await routeIt({ task: "Research distributed databases", compare: true });
    expect(res.body.agent).toBe("copilot-opus");
    expect(res.body.fallbackApplied).toEqual({ from: "claude", to: "copilot-opus", reason: "claude is rate_limited" });
    expect(res.body.compare.v1.agent).toBe("copilot-opus");
    await call(agents.PATCH, "PATCH", { token: ADMIN_TOKEN, params: { name: "claude" }, body: { status: "active" } });
    expect((await routeIt({ task: "Research distributed databases" })).body.agent).toBe("claude");
  });

  test("a task created without assignee gets the routed agent, or waits with a routing escalation below 0.30", async () => {
    const routed = await call(tasks.POST, "POST", {
      token: ADMIN_TOKEN,
      body: { title: "Research vector databases", type: "research" },
    });
    expect(routed.status).toBe(201);
    expect(routed.body.assignee).toBe("claude");
    expect(routed.body.routing).toMatchObject({ agent: "claude", method: "hybrid" });
    expect(routed.body.routing.confidence).toBeGreaterThanOrEqual(0.3);

    // No rule matches and the model has nothing on these words: confidence stays below 0.30.
    const unsure = await call(tasks.POST, "POST", {
      token: ADMIN_TOKEN,
      body: { title: "Ponder quietly", type: "misc" },
    });
    expect(unsure.status).toBe(201);
    expect(unsure.body.assignee).toBeNull();
    expect(unsure.body.routing.agent).toBeNull();
    expect(unsure.body.routing.confidence).toBeLessThan(0.3);
    const open = await call(escalations.GET, "GET", { token: ADMIN_TOKEN, query: { state: "open", kind: "routing" } });
    const esc = open.body.items.find((e: { subjectId: string }) => e.subjectId === unsure.body.id);
    expect(esc).toMatchObject({ kind: "routing", state: "open" });

    const decided = await call(decide.POST, "POST", {
      token: ADMIN_TOKEN,
      params: { id: esc.id },
      body: { assignee: "ollama", note: "ollama thinks" },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ state: "resolved", resolvedBy: "admin-token" });
    const task = await fed.db.prisma.task.findUniqueOrThrow({ where: { id: unsure.body.id } });
    expect(task.assignee).toBe("ollama");
  });

  test("routing rules are edited by admins only and validated", async () => {
    const kimi = await fed.token("kimi");
    expect(
      (
        await call(rules.POST, "POST", {
          token: kimi,
          body: { agent: "kimi", kind: "keyword", pattern: "rust", weight: 0.9 },
        })
      ).status,
    ).toBe(403);
    const bad = await call(rules.POST, "POST", {
      token: ADMIN_TOKEN,
      body: { agent: "nobody", kind: "keyword", pattern: "rust", weight: 1.5 },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["weight"]));
    const ok = await call(rules.POST, "POST", {
      token: ADMIN_TOKEN,
      body: { agent: "kimi", kind: "keyword", pattern: "Rust", weight: 0.9 },
    });
    expect(ok.status).toBe(201);
    expect((await routeIt({ task: "Port it to rust", version: "v1" })).body.agent).toBe("kimi");
    expect(
      (
        await call(rules.POST, "POST", {
          token: ADMIN_TOKEN,
          body: { agent: "kimi", kind: "keyword", pattern: "rust", weight: 0.5 },
        })
      ).status,
    ).toBe(409);
  });
});
