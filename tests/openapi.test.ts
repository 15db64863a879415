// The OpenAPI document: valid OpenAPI 3.1, covering every route of shared/docs/api-contract.md, and every
// documented route answering as documented — each called for real, its answer checked against the schema.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, test } from "vitest";
import type { z } from "zod";
import { ROUTES } from "@/app/api/v1/routes";
import { openApiDocument } from "@/lib/openapi/document";
import { apiPathOf, operationsOf, routeIndexSource } from "@/lib/openapi/operations";
import { ROUTE_INDEX, routeFiles } from "@/lib/openapi/route-files";
import { problemDto } from "@/lib/openapi/schemas";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, type CallOptions } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const modules = import.meta.glob<Record<string, unknown>>("../app/api/v1/**/route.ts", { eager: true });
const OPERATIONS = operationsOf(ROUTES);
const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const CONTRACT = path.resolve("..", "shared", "docs", "api-contract.md");

/** The handler serving a documented path, from the route index. */
function handlerFor(method: string, apiPath: string): Handler {
  const mod = ROUTES.find((r) => r.path === apiPath)?.module;
  if (!mod) throw new Error(`No route file for ${apiPath}`);
  const handler = mod[method.toUpperCase()];
  if (typeof handler !== "function") throw new Error(`${apiPath} exports no ${method.toUpperCase()}`);
  return handler as Handler;
}

describe("the OpenAPI document", () => {
  test("is valid OpenAPI 3.1", async () => {
    const doc = openApiDocument(ROUTES);
    expect(doc.openapi).toBe("3.1.0");
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  test.skipIf(!existsSync(CONTRACT))("documents every route of shared/docs/api-contract.md", () => {
    const contract = readFileSync(CONTRACT, "utf8");
    const routes = [...contract.matchAll(/`(GET|POST|PATCH|PUT|DELETE) (\/[a-zA-Z0-9/{}._-]+)/g)].map(
      (m) => `${m[1]} ${m[2]!.replace(/\?.*/, "")}`,
    );
    expect(routes.length).toBeGreaterThan(30);
    const documented = new Set(OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`));
    expect([...new Set(routes)].filter((r) => !documented.has(r))).toEqual([]);
  });

  test("the route index lists every route file (npm run docs:routes writes it)", () => {
    expect(readFileSync(ROUTE_INDEX, "utf8")).toBe(routeIndexSource(routeFiles()));
  });

  test("every handler of every route file describes itself, and the document holds exactly those declarations", () => {
    const served = Object.entries(modules).flatMap(([file, mod]) =>
      file.includes("[...unknown]")
        ? []
        : ["GET", "POST", "PATCH", "DELETE"]
            .filter((m) => typeof mod[m] === "function")
            .map((m) => ({ key: `${m} ${apiPathOf(file)}`, doc: (mod[m] as { doc?: unknown }).doc })),
    );
    expect(served.filter((s) => !s.doc).map((s) => s.key)).toEqual([]);
    const documented = OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(documented.sort()).toEqual(served.map((s) => s.key).sort());
    const paths = openApiDocument(ROUTES).paths as Record<string, Record<string, { summary: string }>>;
    const inDocument = Object.entries(paths).flatMap(([p, item]) =>
      Object.entries(item).map(([m, op]) => `${m.toUpperCase()} ${p}: ${op.summary}`),
    );
    expect(inDocument.sort()).toEqual(
      OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}: ${o.summary}`).sort(),
    );
  });

  test("an undescribed handler cannot be listed: building the operations refuses it", () => {
    const bare = async () => new Response(null);
    expect(() => operationsOf([{ path: "/bare", module: { GET: bare } }])).toThrow(/GET \/bare has no description/);
  });

  test("every documented route answers as documented: a documented status, and a body that matches its schema", async () => {
    process.env.FED_RATE_LIMIT_PER_MINUTE = "0";
    const kimi = await fed.token("kimi");
    const { user } = await createUser(fed.db.prisma, SYSTEM, {
      email: "oa-member@example.com",
      name: "Member",
      role: "member",
      password: "member-password-1",
    });
    const cookie = await sessionCookie(user.id);
    const task = (
      await call(handlerFor("post", "/tasks"), "POST", {
        ...admin,
        body: { title: "Contract task", type: "contract-check", assignee: "kimi" },
      })
    ).body;
    const other = (
      await call(handlerFor("post", "/tasks"), "POST", {
        ...admin,
        body: { title: "Another", type: "contract-other", assignee: "kimi" },
      })
    ).body;
    const claimed = (
      await call(handlerFor("post", "/tasks/claim"), "POST", { token: kimi, body: { types: ["contract-check"] } })
    ).body;
    const held = (
      await call(handlerFor("post", "/tasks/claim"), "POST", { token: kimi, body: { types: ["contract-other"] } })
    ).body;
    await call(handlerFor("post", "/tasks"), "POST", {
      ...admin,
      body: { title: "Third", type: "contract-third", assignee: "kimi" },
    });
    const vote = (
      await call(handlerFor("post", "/votes"), "POST", {
        ...admin,
        body: { question: "Q?", options: ["a", "b"], voters: ["kimi", "claude"] },
      })
    ).body;
    const rule = (await call(handlerFor("get", "/routing-rules"), "GET", admin)).body.items[0];
    const scheduleRule = (await call(handlerFor("get", "/rules"), "GET", admin)).body.items[0];
    const spare = (
      await call(handlerFor("post", "/agents/{name}/tokens"), "POST", { ...admin, params: { name: "ollama" } })
    ).body;
    const failed = (
      await call(handlerFor("post", "/tasks"), "POST", {
        ...admin,
        body: { title: "Will fail", type: "contract-fail", assignee: "copilot", maxAttempts: 1 },
      })
    ).body;
    const copilot = await fed.token("copilot");
    const c2 = (
      await call(handlerFor("post", "/tasks/claim"), "POST", { token: copilot, body: { types: ["contract-fail"] } })
    ).body;
    await call(handlerFor("post", "/tasks/{id}/complete"), "POST", {
      token: copilot,
      lease: c2.leaseToken,
      params: { id: failed.id },
      body: { success: false, retry: true },
    });
    const escalation = (
      await call(handlerFor("get", "/escalations"), "GET", { ...admin, query: { state: "open" } })
    ).body.items.find((e: { subjectId: string }) => e.subjectId === failed.id);
    const applied = (
      await call(handlerFor("post", "/analytics/optimize"), "POST", { ...admin, body: { dryRun: false } })
    ).body;
    const personal = (await call(handlerFor("post", "/me/tokens"), "POST", { cookie, body: { name: "spare" } })).body;
    // A webhook to a closed loopback port (allowed here): its test delivery fails at once and can be replayed.
    process.env.FED_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
    const hook = (
      await call(handlerFor("post", "/webhooks"), "POST", {
        ...admin,
        body: { url: "http://127.0.0.1:9/hook", events: ["task.failed"] },
      })
    ).body;
    const delivery = (
      await call(handlerFor("post", "/webhooks/{id}/test"), "POST", { ...admin, params: { id: hook.id } })
    ).body;

    const calls: Record<string, CallOptions & { skipBody?: boolean }> = {
      "get /health": {},
      "get /me": admin,
      "post /me/password": { cookie, body: { currentPassword: "member-password-1", newPassword: "member-password-2" } },
      "get /me/tokens": { cookie },
      "post /me/tokens": { cookie, body: { name: "contract", expiresInDays: 30 } },
      "delete /me/tokens/{prefix}": { cookie, params: { prefix: personal.prefix } },
      "get /openapi.json": {},
      "get /events": { ...admin, skipBody: true },
      "get /agents": admin,
      "post /agents": { ...admin, body: { name: "contract-agent" } },
      "get /agents/{name}": { ...admin, params: { name: "kimi" } },
      "patch /agents/{name}": {
        ...admin,
        params: { name: "contract-agent" },
        body: { status: "rate_limited", until: new Date(Date.now() + 60_000).toISOString() },
      },
      "get /agents/{name}/tokens": { ...admin, params: { name: "kimi" } },
      "post /agents/{name}/tokens": {
        ...admin,
        params: { name: "contract-agent" },
        body: { name: "contract", expiresInDays: 7 },
      },
      "delete /agents/{name}/tokens/{tokenId}": { ...admin, params: { name: "ollama", tokenId: spare.id } },
      "get /agents/{name}/briefing": { token: kimi, params: { name: "kimi" } },
      "get /tasks": { ...admin, query: { limit: "5" } },
      "post /tasks": { ...admin, body: { title: "Documented", type: "research" } },
      "get /tasks/{id}": { ...admin, params: { id: task.id } },
      "get /tasks/counts": { ...admin, query: { q: "documented" } },
      "get /tasks.csv": { ...admin, query: { state: "pending" } },
      "post /tasks/bulk": { ...admin, body: { action: "retry", filter: { state: "failed" }, dryRun: true } },
      "post /tasks/claim": { token: kimi, body: { types: ["contract-third"] } },
      "post /tasks/{id}/heartbeat": {
        token: kimi,
        lease: claimed.leaseToken,
        params: { id: task.id },
        body: { leaseSeconds: 120 },
      },
      "post /tasks/{id}/log": {
        token: kimi,
        lease: claimed.leaseToken,
        params: { id: task.id },
        body: { stream: "stdout", text: "contract output\n" },
      },
      "get /tasks/{id}/log": { ...admin, params: { id: task.id } },
      "post /tasks/{id}/release": {
        token: kimi,
        lease: held.leaseToken,
        params: { id: other.id },
        body: { reason: "contract" },
      },
      "post /tasks/{id}/complete": {
        token: kimi,
        lease: claimed.leaseToken,
        params: { id: task.id },
        body: { success: true, summary: "done" },
      },
      "post /tasks/{id}/cancel": { ...admin, params: { id: other.id }, body: {} },
      "post /tasks/{id}/retry": { ...admin, params: { id: other.id } },
      "post /tasks/{id}/reassign": { ...admin, params: { id: other.id }, body: { assignee: "kimi-ide" } },
      "post /tasks/{id}/dependencies": { ...admin, params: { id: other.id }, body: { dependsOn: [task.id] } },
      "get /rules": admin,
      "post /rules": {
        ...admin,
        body: {
          name: "Contract rule",
          when: { type: "research" },
          then: [{ type: "review", titleTemplate: "Review {{title}}" }],
        },
      },
      "get /rules/{id}": { ...admin, params: { id: scheduleRule.id } },
      "patch /rules/{id}": { ...admin, params: { id: scheduleRule.id }, body: { enabled: true } },
      "delete /rules/{id}": { ...admin, params: { id: scheduleRule.id } },
      "post /rules/preview": { ...admin, body: { type: "research", agent: "claude" } },
      "get /federation/state": admin,
      "patch /federation/state": { ...admin, body: { autoScheduling: false } },
      "get /votes": admin,
      "post /votes": { ...admin, body: { question: "Which?", options: ["x", "y"] } },
      "get /votes/{id}": { ...admin, params: { id: vote.id } },
      "post /votes/{id}/ballots": { token: kimi, params: { id: vote.id }, body: { option: "a", confidence: 0.9 } },
      "post /votes/{id}/resolve": { ...admin, params: { id: vote.id } },
      "post /votes/{id}/reopen": {
        ...admin,
        params: { id: vote.id },
        body: { closesAt: new Date(Date.now() + 3600_000).toISOString() },
      },
      "get /escalations": { ...admin, query: { expand: "context" } },
      "get /escalations/summary": admin,
      "get /escalations/{id}": { ...admin, params: { id: escalation.id } },
      "post /escalations/{id}/decide": {
        ...admin,
        params: { id: escalation.id },
        body: { action: "retry", note: "again" },
      },
      "post /outcomes": {
        token: kimi,
        body: { agent: "kimi", taskType: "implementation", success: true, durationMinutes: 25 },
      },
      "get /analytics/dashboard": { ...admin, query: { window: "7d" } },
      "get /analytics/agents/{name}": { ...admin, params: { name: "kimi" } },
      "get /analytics/task-types/{type}": { ...admin, params: { type: "implementation" } },
      "get /analytics/leaderboard": admin,
      "get /analytics/charts": { ...admin, query: { window: "30d" } },
      "post /analytics/optimize": { ...admin, body: { dryRun: true } },
      "get /analytics/optimizer/history": admin,
      "post /analytics/optimizer/history/{id}/undo": { ...admin, params: { id: applied.change.id } },
      "post /route": { ...admin, body: { task: "Research distributed databases", explain: true, compare: true } },
      "post /route/train": { ...admin, body: { task: "Write the docs", agent: "ollama", success: true } },
      "get /route/model": admin,
      "get /routing-rules": admin,
      "post /routing-rules": {
        ...admin,
        body: { agent: "ollama", kind: "keyword", pattern: "contract-word", weight: 0.4 },
      },
      "patch /routing-rules/{id}": { ...admin, params: { id: rule.id }, body: { weight: 0.5 } },
      "delete /routing-rules/{id}": { ...admin, params: { id: rule.id } },
      "get /me/notifications": { cookie },
      "patch /me/notifications": { cookie, body: { events: { "task.failed": "digest" } } },
      "get /webhooks": admin,
      "post /webhooks": {
        ...admin,
        body: { url: "http://127.0.0.1:9/other", events: ["vote.escalated"], format: "slack" },
      },
      "patch /webhooks/{id}": { ...admin, params: { id: hook.id }, body: { description: "Contract" } },
      "post /webhooks/{id}/test": { ...admin, params: { id: hook.id } },
      "post /webhooks/{id}/rotate-secret": { ...admin, params: { id: hook.id } },
      "get /webhooks/{id}/deliveries": { ...admin, params: { id: hook.id }, query: { limit: "5" } },
      "post /webhooks/{id}/deliveries/{deliveryId}/retry": {
        ...admin,
        params: { id: hook.id, deliveryId: delivery.id },
      },
      "delete /webhooks/{id}": { ...admin, params: { id: hook.id } },
      "get /log": { ...admin, query: { limit: "5" } },
      "get /log.md": { ...admin, query: { limit: "5" } },
      "get /users": admin,
      "post /users": { ...admin, body: { email: "contract@example.com", name: "Contract" } },
      "patch /users/{id}": { ...admin, params: { id: user.id }, body: { name: "Renamed" } },
      "post /users/{id}/password": { ...admin, params: { id: user.id }, body: {} },
    };
    const controller = new AbortController();
    const problems: string[] = [];
    // Every documented route is called, in the order the calls are written (later ones delete what earlier ones use).
    const byKey = new Map(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op]));
    for (const key of byKey.keys()) if (!calls[key]) problems.push(`${key}: no call in this test`);
    for (const [key, options] of Object.entries(calls)) {
      const op = byKey.get(key);
      if (!op) {
        problems.push(`${key}: called here but not documented`);
        continue;
      }
      const handler = handlerFor(op.method, op.path);
      if (options.skipBody) {
        const res = await handler(
          new Request("http://localhost/api/v1/events", {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
            signal: controller.signal,
          }),
        );
        expect(res.headers.get("content-type")).toContain("text/event-stream");
        if (!Object.keys(op.responses).includes(String(res.status))) problems.push(`${key}: answered ${res.status}`);
        await res.body?.cancel();
        continue;
      }
      const res = await call(handler, op.method.toUpperCase(), options);
      const documented = op.responses[res.status];
      if (documented === undefined) {
        problems.push(
          `${key}: answered ${res.status}, which is not documented (${JSON.stringify(res.body).slice(0, 200)})`,
        );
        continue;
      }
      if (documented && "safeParse" in documented) {
        const parsed = (documented as z.ZodType).safeParse(res.body);
        if (!parsed.success)
          problems.push(
            `${key}: ${res.status} body does not match: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`,
          );
      }
    }
    controller.abort();
    expect(problems).toEqual([]);
    // And an error answer matches the Problem schema.
    const missing = await call(handlerFor("get", "/tasks/{id}"), "GET", {
      ...admin,
      params: { id: "task-20200101-000000-0009" },
    });
    expect(problemDto.safeParse(missing.body).success).toBe(true);
    delete process.env.FED_RATE_LIMIT_PER_MINUTE;
    delete process.env.FED_WEBHOOK_ALLOW_HOSTS;
  });
});
