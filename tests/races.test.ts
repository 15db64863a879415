// Concurrent edits found by the attack run (issue 21): six deletes of one rule at once, a delete racing an edit,
// and opposite fallback changes at once. Each answers as if they had come one after another — one 204 then 404s,
// never a 500, never a fallback cycle. On PostgreSQL these really run at once (CI); PGlite serialises them.
import { describe, expect, test } from "vitest";
import * as routingRules from "@/app/api/v1/routing-rules/route";
import * as routingRule from "@/app/api/v1/routing-rules/[id]/route";
import * as rules from "@/app/api/v1/rules/route";
import * as ruleOne from "@/app/api/v1/rules/[id]/route";
import * as agents from "@/app/api/v1/agents/route";
import * as agentOne from "@/app/api/v1/agents/[name]/route";
import { call } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const statuses = (xs: { status: number }[]) => xs.map((x) => x.status).sort();

describe("concurrent edits", () => {
  test("six deletes of one routing rule at once: one 204, five 404", async () => {
    process.env.FED_RATE_LIMIT_PER_MINUTE = "0";
    for (let round = 0; round < 3; round++) {
      const rule = await call(routingRules.POST, "POST", {
        ...admin,
        body: { agent: "ollama", kind: "keyword", pattern: `race-word-${round}`, weight: 0.4 },
      });
      expect(rule.status).toBe(201);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => call(routingRule.DELETE, "DELETE", { ...admin, params: { id: rule.body.id } })),
      );
      expect(statuses(answers)).toEqual([204, 404, 404, 404, 404, 404]);
    }
  });

  test("six deletes of one auto-scheduling rule at once: one 204, five 404; a delete racing an edit: never a 500", async () => {
    for (let round = 0; round < 3; round++) {
      const create = () =>
        call(rules.POST, "POST", {
          ...admin,
          body: {
            name: `Race ${round} ${Math.random()}`,
            when: { type: "research" },
            then: [{ type: "review", titleTemplate: "Review {{title}}" }],
          },
        });
      const rule = await create();
      const deletes = await Promise.all(
        Array.from({ length: 6 }, () => call(ruleOne.DELETE, "DELETE", { ...admin, params: { id: rule.body.id } })),
      );
      expect(statuses(deletes)).toEqual([204, 404, 404, 404, 404, 404]);

      const other = await create();
      const [edit, del] = await Promise.all([
        call(ruleOne.PATCH, "PATCH", { ...admin, params: { id: other.body.id }, body: { name: `Renamed ${round}` } }),
        call(ruleOne.DELETE, "DELETE", { ...admin, params: { id: other.body.id } }),
      ]);
      expect(del.status).toBe(204);
      expect([200, 404]).toContain(edit.status);
    }
  });

  test("ten rounds of opposite fallback changes at once never make a cycle", async () => {
    for (let round = 0; round < 10; round++) {
      const a = `race-a-${round}`;
      const b = `race-b-${round}`;
      for (const name of [a, b])
        expect((await call(agents.POST, "POST", { ...admin, body: { name } })).status).toBe(201);
      const [ab, ba] = await Promise.all([
        call(agentOne.PATCH, "PATCH", { ...admin, params: { name: a }, body: { fallback: b } }),
        call(agentOne.PATCH, "PATCH", { ...admin, params: { name: b }, body: { fallback: a } }),
      ]);
      expect(statuses([ab, ba])).toEqual([200, 422]);
      const rows = await fed.db.prisma.agent.findMany({ where: { name: { in: [a, b] } } });
      const next = new Map(rows.map((r) => [r.name, r.fallbackName]));
      expect(next.get(a) === b && next.get(b) === a).toBe(false);
    }
  });
});
