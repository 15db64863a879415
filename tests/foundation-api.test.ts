// The foundation's contract: agents and tokens, access control, problem+json for bad input, rate limits,
// the audit log and sign-in throttling — through the real route handlers on a real database.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import * as agentsRoute from "@/app/api/v1/agents/route";
import * as agentRoute from "@/app/api/v1/agents/[name]/route";
import * as tokensRoute from "@/app/api/v1/agents/[name]/tokens/route";
import * as tokenRoute from "@/app/api/v1/agents/[name]/tokens/[tokenId]/route";
import * as briefingRoute from "@/app/api/v1/agents/[name]/briefing/route";
import * as healthRoute from "@/app/api/v1/health/route";
import * as logRoute from "@/app/api/v1/log/route";
import * as logMdRoute from "@/app/api/v1/log.md/route";
import * as usersRoute from "@/app/api/v1/users/route";
import { SYSTEM } from "@/lib/auth/actor";
import { signIn } from "@/lib/auth/sign-in";
import { createUser, updateUser } from "@/lib/users/service";
import { call, sessionCookie } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";

const fed = seededFederation();
const admin = { token: ADMIN_TOKEN };
const counts = async () => ({
  agents: await fed.db.prisma.agent.count(),
  events: await fed.db.prisma.auditEvent.count(),
  tokens: await fed.db.prisma.agentToken.count(),
});

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.stringContaining("http"),
  });
}

/** The agent the first test creates; later tests that use it make sure it exists, so each passes alone. */
async function ensureGemini(): Promise<void> {
  const res = await call(agentsRoute.POST, "POST", {
    ...admin,
    body: { name: "gemini", displayName: "Gemini CLI", capabilities: ["research"] },
  });
  expect([201, 409]).toContain(res.status);
}

describe("agents", () => {
  test("the six seed agents are listed, claude falling back to copilot-opus", async () => {
    const res = await call(agentsRoute.GET, "GET", admin);
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { name: string }) => a.name).sort()).toEqual([
      "claude",
      "copilot",
      "copilot-opus",
      "kimi",
      "kimi-ide",
      "ollama",
    ]);
    expect(res.body.items.find((a: { name: string }) => a.name === "claude")).toMatchObject({
      fallback: "copilot-opus",
      status: "active",
    });
  });

  test("an admin creates an agent; a duplicate is 409, an unknown one 404", async () => {
    const res = await call(agentsRoute.POST, "POST", {
      ...admin,
      body: { name: "gemini", displayName: "Gemini CLI", capabilities: ["research"] },
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual([
      "capabilities",
      "createdAt",
      "displayName",
      "fallback",
      "lastSeenAt",
      "name",
      "status",
      "statusUntil",
    ]);
    expect(res.body).toMatchObject({
      name: "gemini",
      displayName: "Gemini CLI",
      status: "active",
      fallback: null,
      capabilities: ["research"],
      lastSeenAt: null,
    });
    const before = await counts();
    expectProblem(await call(agentsRoute.POST, "POST", { ...admin, body: { name: "gemini" } }), 409);
    expectProblem(await call(agentRoute.GET, "GET", { ...admin, params: { name: "nobody" } }), 404);
    expect(await counts()).toEqual(before);
  });

  test("fallback cycles, self-fallbacks and unknown fallbacks are refused with 422 and change nothing", async () => {
    const before = await counts();
    const cycle = await call(agentRoute.PATCH, "PATCH", {
      ...admin,
      params: { name: "copilot-opus" },
      body: { fallback: "claude" },
    });
    expectProblem(cycle, 422);
    expect(cycle.body.errors).toEqual([{ path: "fallback", message: "This fallback makes a cycle." }]);
    expectProblem(
      await call(agentRoute.PATCH, "PATCH", { ...admin, params: { name: "kimi" }, body: { fallback: "kimi" } }),
      422,
    );
    expectProblem(await call(agentsRoute.POST, "POST", { ...admin, body: { name: "newbie", fallback: "ghost" } }), 422);
    expect(await counts()).toEqual(before);
    expect((await fed.db.prisma.agent.findUniqueOrThrow({ where: { name: "copilot-opus" } })).fallbackName).toBeNull();
  });

  test("a token authenticates its own agent's briefing, not another's, and stops working once revoked", async () => {
    await ensureGemini();
    const issued = await call(tokensRoute.POST, "POST", { ...admin, params: { name: "gemini" } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      token: expect.stringMatching(/^fed_/),
      prefix: issued.body.token.slice(0, 12),
      createdAt: expect.any(String),
    });
    const stored = await fed.db.prisma.agentToken.findUniqueOrThrow({ where: { id: issued.body.id } });
    expect(stored.tokenHash).not.toContain(issued.body.token);

    const own = await call(briefingRoute.GET, "GET", { token: issued.body.token, params: { name: "gemini" } });
    expect(own.status).toBe(200);
    expect(Object.keys(own.body).sort()).toEqual(["agent", "recentLog", "tasks", "votesAwaitingBallot"]);
    expect(own.body.agent.lastSeenAt).not.toBeNull();
    expectProblem(await call(briefingRoute.GET, "GET", { token: issued.body.token, params: { name: "claude" } }), 403);

    const revoked = await call(tokenRoute.DELETE, "DELETE", {
      ...admin,
      params: { name: "gemini", tokenId: issued.body.id },
    });
    expect(revoked.body.revokedAt).not.toBeNull();
    expectProblem(await call(briefingRoute.GET, "GET", { token: issued.body.token, params: { name: "gemini" } }), 401);
    const listed = await call(tokensRoute.GET, "GET", { ...admin, params: { name: "gemini" } });
    expect(listed.body.items[0]).toMatchObject({
      id: issued.body.id,
      revokedAt: expect.any(String),
      lastUsedAt: expect.any(String),
    });
  });

  test("an offline agent becomes active when it reads its briefing", async () => {
    await call(agentRoute.PATCH, "PATCH", { ...admin, params: { name: "ollama" }, body: { status: "offline" } });
    const token = await fed.token("ollama");
    const res = await call(briefingRoute.GET, "GET", { token, params: { name: "ollama" } });
    expect(res.body.agent.status).toBe("active");
  });

  test("an agent may change its own status, but not its fallback nor another agent", async () => {
    const token = await fed.token("kimi");
    const own = await call(agentRoute.PATCH, "PATCH", {
      token,
      params: { name: "kimi" },
      body: { status: "rate_limited" },
    });
    expect(own.status).toBe(200);
    expect(own.body.status).toBe("rate_limited");
    const before = await counts();
    expectProblem(
      await call(agentRoute.PATCH, "PATCH", { token, params: { name: "kimi" }, body: { fallback: "copilot" } }),
      403,
    );
    expectProblem(
      await call(agentRoute.PATCH, "PATCH", { token, params: { name: "claude" }, body: { status: "offline" } }),
      403,
    );
    expectProblem(await call(agentsRoute.POST, "POST", { token, body: { name: "rogue" } }), 403);
    expect(await counts()).toEqual(before);
    const events = await call(logRoute.GET, "GET", { ...admin, query: { subject: "agent:kimi" } });
    expect(events.body.items[0]).toMatchObject({
      actor: "kimi",
      action: "agent.status_changed",
      details: { status: { from: "active", to: "rate_limited" } },
    });
  });
});

describe("access and bad input", () => {
  const routeFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory() ? routeFiles(full) : entry === "route.ts" ? [full] : [];
    });

  test("anonymous requests get 401 on every API route but health and the OpenAPI document", async () => {
    const files = routeFiles(path.resolve("app/api/v1"));
    expect(files.length).toBeGreaterThan(20);
    let checked = 0;
    for (const file of files) {
      const mod = await import(file);
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        if (!mod[method]) continue;
        const res = await call(mod[method], method, {
          params: { name: "claude", id: "task-20260101-000000-0001", tokenId: "x" },
          ...(method === "GET" ? {} : { body: {} }),
        });
        if (file.includes(`${path.sep}health${path.sep}`) || file.includes(`${path.sep}openapi.json${path.sep}`))
          expect(res.status).toBe(200);
        else {
          expect([file, method, res.status]).toEqual([file, method, 401]);
          expect(res.headers.get("content-type")).toContain("application/problem+json");
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(readFileSync(path.resolve("app/api/v1/health/route.ts"), "utf8")).toContain("publicRoute");
  });

  test("health answers without credentials", async () => {
    const res = await call(healthRoute.GET, "GET");
    expect(res.body).toEqual({ status: "ok", database: "ok", version: expect.any(String) });
  });

  test("malformed JSON is 400, wrong types 422 listing each field, 70 KiB 413 — and nothing is written", async () => {
    const before = await counts();
    expectProblem(await call(agentsRoute.POST, "POST", { ...admin, rawBody: '{"name": "x",' }), 400);
    const wrong = await call(agentsRoute.POST, "POST", {
      ...admin,
      body: { name: "Bad Name!", capabilities: "research", status: "sleepy" },
    });
    expectProblem(wrong, 422);
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["capabilities", "name", "status"]);
    const big = await call(agentsRoute.POST, "POST", {
      ...admin,
      rawBody: JSON.stringify({ name: "huge", displayName: "x".repeat(70 * 1024) }),
    });
    expectProblem(big, 413);
    expect(await counts()).toEqual(before);
  });

  test("a viewer reads but cannot change anything; a member cannot manage agents; an admin can; a disabled user is out", async () => {
    const viewer = (
      await createUser(fed.db.prisma, SYSTEM, {
        email: "viewer@example.com",
        name: "V",
        role: "viewer",
        password: "viewer-password-1",
      })
    ).user;
    const member = (
      await createUser(fed.db.prisma, SYSTEM, {
        email: "member@example.com",
        name: "M",
        role: "member",
        password: "member-password-1",
      })
    ).user;
    const boss = (
      await createUser(fed.db.prisma, SYSTEM, {
        email: "boss@example.com",
        name: "B",
        role: "admin",
        password: "boss-password-12",
      })
    ).user;
    const asViewer = { cookie: await sessionCookie(viewer.id) };
    expect((await call(agentsRoute.GET, "GET", asViewer)).status).toBe(200);
    const before = await counts();
    expectProblem(await call(agentsRoute.POST, "POST", { ...asViewer, body: { name: "viewer-made" } }), 403);
    expectProblem(
      await call(agentRoute.PATCH, "PATCH", { ...asViewer, params: { name: "claude" }, body: { status: "offline" } }),
      403,
    );
    expectProblem(
      await call(usersRoute.POST, "POST", { ...asViewer, body: { email: "x@example.com", name: "X" } }),
      403,
    );
    expectProblem(
      await call(agentsRoute.POST, "POST", { cookie: await sessionCookie(member.id), body: { name: "member-made" } }),
      403,
    );
    expect(await counts()).toEqual(before);
    expect(
      (await call(agentsRoute.POST, "POST", { cookie: await sessionCookie(boss.id), body: { name: "boss-made" } }))
        .status,
    ).toBe(201);
    await updateUser(fed.db.prisma, SYSTEM, viewer.id, { disabled: true });
    expectProblem(await call(agentsRoute.GET, "GET", asViewer), 401);
  });

  test("a token over its rate limit gets 429 with Retry-After", async () => {
    const token = await fed.token("copilot");
    // One token a minute: however slow this machine is, the bucket cannot refill between the four calls.
    process.env.FED_RATE_LIMIT_PER_MINUTE = "1";
    process.env.FED_RATE_LIMIT_BURST = "3";
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof call>> | null = null;
      for (let i = 0; i < 4; i++) {
        last = await call(agentsRoute.GET, "GET", { token });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expectProblem(last!, 429);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.FED_RATE_LIMIT_PER_MINUTE;
      delete process.env.FED_RATE_LIMIT_BURST;
    }
  });
});

describe("the audit log", () => {
  test("events come newest first and the cursor pages through them without overlap", async () => {
    const all = await call(logRoute.GET, "GET", { ...admin, query: { limit: "200" } });
    const ids = all.body.items.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call(logRoute.GET, "GET", {
        ...admin,
        query: { limit: "7", ...(cursor ? { cursor } : {}) },
      });
      seen.push(...page.body.items.map((e: { id: number }) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expectProblem(await call(logRoute.GET, "GET", { ...admin, query: { cursor: "garbage" } }), 400);
  });

  test("GET /log.md is a FEDERATION_LOG.md document", async () => {
    await ensureGemini();
    const res = await call(logMdRoute.GET, "GET", admin);
    expect(res.headers.get("content-type")).toContain("text/markdown");
    expect(res.body).toMatch(/^# FEDERATION_LOG\n/);
    expect(res.body).toContain("`agent.created` agent:gemini");
  });
});

describe("sign-in", () => {
  test("the right password signs in; five wrong ones from one address slow that address down, never the owner elsewhere", async () => {
    await createUser(fed.db.prisma, SYSTEM, {
      email: "sam@example.com",
      name: "Sam",
      role: "member",
      password: "sams-password-1",
    });
    const user = await fed.db.prisma.user.findUniqueOrThrow({ where: { email: "sam@example.com" } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain("sams-password-1");
    expect((await signIn(fed.db.prisma, "Sam@Example.com", "sams-password-1", "10.0.0.1")).email).toBe(
      "sam@example.com",
    );
    for (let i = 0; i < 5; i++)
      await expect(signIn(fed.db.prisma, "sam@example.com", "guess", "10.0.1.1")).rejects.toThrow(
        "Wrong email or password.",
      );
    // The guesser's next try waits; the owner arriving from another address is not locked out.
    await expect(signIn(fed.db.prisma, "sam@example.com", "guess", "10.0.1.1")).rejects.toThrow(
      /Too many failed sign-ins/,
    );
    expect((await signIn(fed.db.prisma, "sam@example.com", "sams-password-1", "10.0.2.1")).email).toBe(
      "sam@example.com",
    );
  });
});
