// Security basics (OWASP ASVS level 2 as the yardstick): CSRF on cookie writes, headers, hostile input
// that must never reach the database, a database that is down, reserved names, escaping, rate limits.
import { describe, expect, test } from "vitest";
import * as tasks from "@/app/api/v1/tasks/route";
import * as taskOne from "@/app/api/v1/tasks/[id]/route";
import * as claim from "@/app/api/v1/tasks/claim/route";
import * as heartbeat from "@/app/api/v1/tasks/[id]/heartbeat/route";
import * as release from "@/app/api/v1/tasks/[id]/release/route";
import * as complete from "@/app/api/v1/tasks/[id]/complete/route";
import * as agentList from "@/app/api/v1/agents/route";
import * as agentOne from "@/app/api/v1/agents/[name]/route";
import * as agentTokens from "@/app/api/v1/agents/[name]/tokens/route";
import * as users from "@/app/api/v1/users/route";
import * as rules from "@/app/api/v1/rules/route";
import * as routing from "@/app/api/v1/route/route";
import * as train from "@/app/api/v1/route/train/route";
import * as routingRules from "@/app/api/v1/routing-rules/route";
import * as logRoute from "@/app/api/v1/log/route";
import * as logMd from "@/app/api/v1/log.md/route";
import * as escalations from "@/app/api/v1/escalations/route";
import * as health from "@/app/api/v1/health/route";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { encodeCursor } from "@/lib/http/list";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
let n = 0;

async function memberCookie(): Promise<string> {
  const { user } = await createUser(fed.db.prisma, SYSTEM, {
    email: `member-${++n}@example.com`,
    name: "Member",
    role: "admin",
    password: "member-password-1",
  });
  return sessionCookie(user.id);
}

const counts = async () => ({
  tasks: await fed.db.prisma.task.count(),
  agents: await fed.db.prisma.agent.count(),
  events: await fed.db.prisma.auditEvent.count(),
});

describe("CSRF on cookie-authenticated writes", () => {
  test("a page on another port of the same host cannot create a task with the signed-in admin's cookie", async () => {
    const cookie = await memberCookie();
    const before = await counts();
    const body = JSON.stringify({ title: "Pwned", type: "research", priority: "urgent" });

    const attacks: Record<string, string>[] = [
      // the reported attack: text/plain (a "simple" request, no preflight) from another port
      { origin: "http://localhost:4444", "sec-fetch-site": "same-site", "content-type": "text/plain; charset=json" },
      // the same with a JSON type is still another origin
      { origin: "http://localhost:4444", "content-type": "application/json" },
      { origin: "null", "content-type": "application/json" },
      // no origin, but the browser says it is cross-site
      { origin: "", "sec-fetch-site": "cross-site", "content-type": "application/json" },
      // same origin, but not JSON
      { origin: "http://localhost", "content-type": "text/plain" },
      { origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
    ];
    for (const headers of attacks) {
      const res = await call(tasks.POST, "POST", { cookie, rawBody: body, headers });
      expect([403, 415]).toContain(res.status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await counts()).toEqual(before);

    const legit = await call(tasks.POST, "POST", {
      cookie,
      rawBody: body,
      headers: {
        origin: "http://localhost",
        "content-type": "application/json; charset=utf-8",
        "sec-fetch-site": "same-origin",
      },
    });
    expect(legit.status).toBe(201);
  });

  test("bearer-token calls are unaffected by Origin", async () => {
    const res = await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Scripted", type: "research", assignee: "claude" },
      headers: { origin: "http://elsewhere.example" },
    });
    expect(res.status).toBe(201);
  });
});

describe("headers", () => {
  test("API answers are never cached, sniffed or framed — token issuance above all", async () => {
    for (const res of [
      await call(agentTokens.POST, "POST", { ...admin, params: { name: "kimi" } }),
      await call(agentList.GET, "GET", admin),
      await call(agentList.GET, "GET"),
      await call(health.GET, "GET"),
    ]) {
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });
});

describe("hostile input is refused with 4xx, never 500, and writes nothing", () => {
  const NUL = "bad\u0000text";
  const LONE = "bad\uD800text";

  test("NUL bytes and lone surrogates in 16 fields answer 422 naming the field", async () => {
    const kimi = await fed.token("kimi");
    const t = (
      await call(tasks.POST, "POST", { ...admin, body: { title: "Holder", type: "nul-check", assignee: "kimi" } })
    ).body;
    const c = (await call(claim.POST, "POST", { token: kimi, body: { types: ["nul-check"] } })).body;
    const cases: [string, () => Promise<{ status: number; body: any }>][] = [
      ["title", () => call(tasks.POST, "POST", { ...admin, body: { title: NUL, type: "research" } })],
      [
        "description",
        () => call(tasks.POST, "POST", { ...admin, body: { title: "ok", description: LONE, type: "research" } }),
      ],
      [
        "idempotencyKey",
        () => call(tasks.POST, "POST", { ...admin, body: { title: "ok", type: "research", idempotencyKey: NUL } }),
      ],
      [
        "metadata.note",
        () => call(tasks.POST, "POST", { ...admin, body: { title: "ok", type: "research", metadata: { note: NUL } } }),
      ],
      [
        "metadata key",
        () => call(tasks.POST, "POST", { ...admin, body: { title: "ok", type: "research", metadata: { [NUL]: 1 } } }),
      ],
      ["displayName", () => call(agentList.POST, "POST", { ...admin, body: { name: "nul-agent", displayName: NUL } })],
      [
        "capabilities.0",
        () => call(agentList.POST, "POST", { ...admin, body: { name: "nul-agent", capabilities: [LONE] } }),
      ],
      [
        "agent displayName (PATCH)",
        () => call(agentOne.PATCH, "PATCH", { ...admin, params: { name: "kimi" }, body: { displayName: NUL } }),
      ],
      ["user name", () => call(users.POST, "POST", { ...admin, body: { email: "nul@example.com", name: NUL } })],
      [
        "user password",
        () =>
          call(users.POST, "POST", {
            ...admin,
            body: { email: "nul@example.com", name: "Nul", password: `long enough ${NUL}` },
          }),
      ],
      [
        "rule name",
        () =>
          call(rules.POST, "POST", {
            ...admin,
            body: { name: NUL, when: { type: "research" }, then: [{ type: "implementation", titleTemplate: "x" }] },
          }),
      ],
      ["route task", () => call(routing.POST, "POST", { ...admin, body: { task: NUL } })],
      ["train task", () => call(train.POST, "POST", { ...admin, body: { task: LONE, agent: "kimi", success: true } })],
      [
        "routing rule pattern",
        () =>
          call(routingRules.POST, "POST", {
            ...admin,
            body: { agent: "kimi", kind: "keyword", pattern: NUL, weight: 0.5 },
          }),
      ],
      [
        "release reason",
        () =>
          call(release.POST, "POST", { token: kimi, lease: c.leaseToken, params: { id: t.id }, body: { reason: NUL } }),
      ],
      [
        "complete summary",
        () =>
          call(complete.POST, "POST", {
            token: kimi,
            lease: c.leaseToken,
            params: { id: t.id },
            body: { success: true, summary: LONE },
          }),
      ],
      [
        "complete output",
        () =>
          call(complete.POST, "POST", {
            token: kimi,
            lease: c.leaseToken,
            params: { id: t.id },
            body: { success: true, output: { log: [NUL] } },
          }),
      ],
    ];
    expect(cases.length).toBeGreaterThanOrEqual(16);
    const before = await counts();
    for (const [field, send] of cases) {
      const res = await send();
      expect({ field, status: res.status }).toEqual({ field, status: 422 });
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect(await counts()).toEqual(before);
    expect((await fed.db.prisma.task.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("in_progress");
  });

  test("NUL in the query string or a path id is 400", async () => {
    expect((await call(logRoute.GET, "GET", { ...admin, query: { actor: "a\u0000b" } })).status).toBe(400);
    expect((await call(tasks.GET, "GET", { ...admin, query: { q: "\u0000" } })).status).toBe(400);
    expect((await call(taskOne.GET, "GET", { ...admin, params: { id: "task-\u0000" } })).status).toBe(400);
    expect((await call(agentOne.GET, "GET", { ...admin, params: { name: "x\uD800" } })).status).toBe(400);
  });

  test("JSON nested deeper than 32 levels is 400", async () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const res = await call(tasks.POST, "POST", { ...admin, body: { title: "deep", type: "research", metadata: deep } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/deeper than 32/);
    const array = await call(tasks.POST, "POST", { ...admin, rawBody: "[".repeat(5000) + "]".repeat(5000) });
    expect(array.status).toBe(400);
  });

  test("a forged cursor is refused with 400 or 422, however well-formed its encoding", async () => {
    for (const cursor of [
      encodeCursor({ at: "not a date", id: "x" }),
      encodeCursor({ at: "2026-01-01T00:00:00.000Z", id: "x".repeat(500) }),
      encodeCursor({ at: "2026-01-01T00:00:00.000Z", id: "x", extra: 1 }),
      "%%%",
    ]) {
      expect([400, 422]).toContain((await call(tasks.GET, "GET", { ...admin, query: { cursor } })).status);
      expect([400, 422]).toContain((await call(escalations.GET, "GET", { ...admin, query: { cursor } })).status);
    }
    for (const cursor of [encodeCursor(1e300), encodeCursor(-1), encodeCursor(1.5)]) {
      expect((await call(logRoute.GET, "GET", { ...admin, query: { cursor } })).status).toBe(400);
    }
  });
});

describe("a database that is down", () => {
  test("every route that needs it answers 503 problem+json with Retry-After", async () => {
    const { getPrisma } = await import("@/lib/db/client");
    const real = process.env.DATABASE_URL;
    const g = globalThis as unknown as { federationPrisma?: unknown };
    const saved = g.federationPrisma;
    // Nothing listens on port 9 (discard) of this machine.
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:9/nowhere";
    g.federationPrisma = undefined;
    try {
      for (const res of [
        await call(agentList.GET, "GET", admin),
        await call(tasks.POST, "POST", { ...admin, body: { title: "x", type: "research" } }),
        await call(claim.POST, "POST", { token: "fed_somethingthatlookslikeatoken", body: {} }),
        await call(logRoute.GET, "GET", admin),
        await call(taskOne.GET, "GET", { ...admin, params: { id: "task-20260101-000000-0001" } }),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      const h = await call(health.GET, "GET");
      expect(h.status).toBe(503);
      expect(h.body).toMatchObject({ database: "down" });
    } finally {
      await getPrisma().$disconnect();
      process.env.DATABASE_URL = real;
      g.federationPrisma = saved;
    }
  });
});

describe("smaller things", () => {
  test("reserved agent names are refused", async () => {
    for (const name of ["admin-token", "system", "admin", "none"]) {
      const res = await call(agentList.POST, "POST", { ...admin, body: { name } });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ path: "name", message: expect.stringMatching(/reserved/) });
    }
  });

  test("q= matches % and _ literally", async () => {
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Raise coverage to 100% on the parser", type: "like-check", assignee: "kimi" },
    });
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Raise coverage to 1000 on the parser", type: "like-check", assignee: "kimi" },
    });
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Rename snake_case fields", type: "like-check", assignee: "kimi" },
    });
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: "Rename snakeXcase fields", type: "like-check", assignee: "kimi" },
    });
    const titles = async (q: string) =>
      (await call(tasks.GET, "GET", { ...admin, query: { q, type: "like-check" } })).body.items.map(
        (t: { title: string }) => t.title,
      );
    expect(await titles("100%")).toEqual(["Raise coverage to 100% on the parser"]);
    expect(await titles("snake_case")).toEqual(["Rename snake_case fields"]);
    expect(await titles("%")).toEqual(["Raise coverage to 100% on the parser"]);
  });

  test("/log.md accepts limits up to 1000, as the route means to", async () => {
    expect((await call(logMd.GET, "GET", { ...admin, query: { limit: "1000" } })).status).toBe(200);
    expect((await call(logMd.GET, "GET", { ...admin, query: { limit: "500" } })).status).toBe(200);
    expect((await call(logMd.GET, "GET", { ...admin, query: { limit: "1001" } })).status).toBe(422);
  });

  test("multi-line text cannot forge lines in FEDERATION_LOG.md", async () => {
    const forged = "innocent\n- `00:00:00Z` **admin** `agent.token_issued` agent:claude\n## 1999-01-01";
    await call(tasks.POST, "POST", {
      ...admin,
      body: { title: forged.slice(0, 200), type: "forge-check", assignee: "kimi" },
    });
    const md = (await call(logMd.GET, "GET", admin)).body as string;
    expect(md).toContain("innocent");
    expect(md.split("\n").filter((l) => l.includes("innocent"))).toHaveLength(1);
    expect(md).not.toMatch(/^## 1999-01-01/m);
    expect(md).not.toMatch(/^- `00:00:00Z`/m);
  });

  test("a heartbeat on a task nobody holds is 409", async () => {
    const kimi = await fed.token("kimi");
    const t = (
      await call(tasks.POST, "POST", { ...admin, body: { title: "Unheld", type: "unheld", assignee: "kimi" } })
    ).body;
    const res = await call(heartbeat.POST, "POST", { token: kimi, params: { id: t.id }, body: {} });
    expect(res.status).toBe(409);
  });

  test("requests with bad credentials are rate-limited per address; valid credentials never are", async () => {
    process.env.FED_AUTH_FAILURES_PER_MINUTE = "1";
    process.env.FED_AUTH_FAILURES_BURST = "5";
    try {
      const from = (address: string) => ({ headers: { "x-fed-client-address": address } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await call(agentList.GET, "GET", { token: `fed_wrong_${i}`, ...from("198.51.100.20") })).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Valid credentials are always checked and honoured first: the admin token from the same address, after 40
      // bad tokens, is served; only failures spend (and hit) the failure budget.
      for (let i = 0; i < 40; i++)
        await call(agentList.GET, "GET", { token: `fed_bad_${i}`, ...from("198.51.100.20") });
      expect((await call(agentList.GET, "GET", { ...admin, ...from("198.51.100.20") })).status).toBe(200);
      expect(
        (await call(agentList.GET, "GET", { token: await fed.token("kimi"), ...from("198.51.100.20") })).status,
      ).toBe(200);
      expect((await call(agentList.GET, "GET", { token: "fed_bad_again", ...from("198.51.100.20") })).status).toBe(429);
    } finally {
      delete process.env.FED_AUTH_FAILURES_PER_MINUTE;
      delete process.env.FED_AUTH_FAILURES_BURST;
    }
  });
});
