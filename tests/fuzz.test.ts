// A fuzz run over every API route: generated hostile bodies, path ids, query strings and credentials.
// Whatever arrives, the answer is a 2xx or a 4xx problem+json — never a 5xx.
import { expect, test } from "vitest";
import { SYSTEM } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie, type CallOptions } from "./helpers/api";
import { ADMIN_TOKEN, seededFederation } from "./helpers/fixtures";
import { seededRandom } from "@/lib/random";

type Handler = (req: Request, ctx?: { params?: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const modules = import.meta.glob<Record<string, unknown>>("../app/api/v1/**/route.ts", { eager: true });
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

const fed = seededFederation();

// Seeded: the same run every time.
const random = seededRandom(8_2026_1125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const STRINGS = [
  "",
  " ",
  "a\u0000b",
  "\uD800",
  "\uDFFFtail",
  "x".repeat(70_000),
  "'; DROP TABLE tasks; --",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "%ff%00",
  "ｆｕｌｌｗｉｄｔｈ",
  "🚀".repeat(100),
  "task-20260101-000000-0001",
  "kimi",
  "research",
  "\r\n## forged",
];
const SCALARS: unknown[] = [null, true, false, 0, -1, 1e308, -1e308, 3.5, 2 ** 53 + 1, [], {}, ...STRINGS];
const FIELDS = [
  "title",
  "type",
  "description",
  "priority",
  "assignee",
  "dependsOn",
  "maxAttempts",
  "metadata",
  "idempotencyKey",
  "success",
  "summary",
  "output",
  "retry",
  "leaseSeconds",
  "leaseToken",
  "types",
  "agent",
  "name",
  "displayName",
  "fallback",
  "status",
  "capabilities",
  "email",
  "role",
  "password",
  "task",
  "explain",
  "compare",
  "version",
  "kind",
  "pattern",
  "weight",
  "when",
  "then",
  "enabled",
  "autoScheduling",
  "option",
  "action",
  "note",
  "reason",
  "currentPassword",
  "newPassword",
  "__proto__",
  "constructor",
];

function hostileValue(depth = 0): unknown {
  const r = random();
  if (depth < 3 && r < 0.15) return Array.from({ length: 1 + Math.floor(random() * 3) }, () => hostileValue(depth + 1));
  if (depth < 3 && r < 0.3) return hostileObject(depth + 1);
  return pick(SCALARS);
}

function hostileObject(depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < 1 + Math.floor(random() * 5); i++) out[pick(FIELDS)] = hostileValue(depth);
  return out;
}

function deep(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

function hostileBody(): Pick<CallOptions, "body" | "rawBody" | "headers"> {
  const r = random();
  if (r < 0.08) return { rawBody: "{not json" };
  if (r < 0.12) return { rawBody: "[".repeat(3000) + "]".repeat(3000) };
  if (r < 0.16) return { body: { metadata: deep(40), title: "deep", type: "research" } };
  if (r < 0.2) return { rawBody: "plain text", headers: { "content-type": "text/plain" } };
  if (r < 0.24) return { body: pick(SCALARS) };
  if (r < 0.28) return { rawBody: JSON.stringify({ title: "x".repeat(70_000) }) };
  return { body: hostileObject() };
}

const PARAM_VALUES = [
  "\u0000",
  "x\uD800",
  "../../secrets",
  "' OR 1=1 --",
  "x".repeat(3000),
  " ",
  "task-99999999-999999-9999",
  "esc-20260101-000000-0001",
  "kimi",
  "CAPS",
  "%ff",
];
const QUERY_KEYS = [
  "limit",
  "cursor",
  "state",
  "assignee",
  "type",
  "q",
  "kind",
  "actor",
  "action",
  "subject",
  "since",
  "status",
  "taskType",
];

function hostileQuery(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < Math.floor(random() * 3); i++) {
    out[pick(QUERY_KEYS)] = pick([
      "-1",
      "0",
      "201",
      "abc",
      "1e309",
      "a\u0000",
      "eyJhdCI6IngifQ",
      "%%%",
      "failed",
      "none",
      "x".repeat(500),
      "",
    ]);
  }
  return out;
}

test("at least 500 generated hostile requests across every API route get no 5xx, and every error is problem+json", async () => {
  // The rate limits would answer most of the run with 429 before a handler saw it.
  process.env.FED_RATE_LIMIT_PER_MINUTE = "0";
  process.env.FED_AUTH_FAILURES_PER_MINUTE = "0";
  const { user: member } = await createUser(fed.db.prisma, SYSTEM, {
    email: "fuzz-member@example.com",
    name: "Fuzz",
    role: "member",
    password: "fuzz-member-pass",
  });
  const { user: viewer } = await createUser(fed.db.prisma, SYSTEM, {
    email: "fuzz-viewer@example.com",
    name: "Fuzz",
    role: "viewer",
    password: "fuzz-viewer-pass",
  });
  const who: CallOptions[] = [
    { token: ADMIN_TOKEN },
    { token: await fed.token("kimi") },
    { cookie: await sessionCookie(member.id) },
    { cookie: await sessionCookie(viewer.id) },
    {},
    { token: "fed_not_a_real_token" },
  ];

  const routes = Object.entries(modules).flatMap(([file, mod]) => {
    const path = file.replace("../app/api/v1", "").replace(/\/route\.ts$/, "") || "/";
    const params = [...path.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map((m) => m[2]!);
    return METHODS.filter((m) => typeof mod[m] === "function").map((method) => ({
      path,
      method,
      params,
      handler: mod[method] as Handler,
    }));
  });
  expect(routes.length).toBeGreaterThan(40);

  const failures: string[] = [];
  let sent = 0;
  const statuses: Record<number, number> = {};
  for (let round = 0; round < 14; round++) {
    for (const r of routes) {
      const options: CallOptions = {
        ...pick(who),
        params: Object.fromEntries(r.params.map((p) => [p, pick(PARAM_VALUES)])),
        query: hostileQuery(),
        ...(r.method === "GET" || r.method === "DELETE" ? {} : hostileBody()),
      };
      const res = await call(r.handler, r.method, options);
      sent++;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const problemJson = (res.headers.get("content-type") ?? "").includes("application/problem+json");
      if (res.status >= 500 || (res.status >= 400 && !problemJson)) {
        failures.push(
          `${r.method} ${r.path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)} for ${JSON.stringify(options).slice(0, 300)}`,
        );
      }
    }
  }
  console.log(`fuzz: ${sent} requests over ${routes.length} route methods; statuses ${JSON.stringify(statuses)}`);
  expect(sent).toBeGreaterThanOrEqual(500);
  expect(failures).toEqual([]);
});

test("forged cursors (a NUL in the id, year 0, past 9999) and out-of-range dates get 400/422, never a 5xx", async () => {
  const route = (path: string) => {
    const mod = modules[`../app/api/v1${path}/route.ts`];
    if (!mod) throw new Error(`no route ${path}`);
    return mod.GET as Handler;
  };
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = new Date().toISOString();
  const cursors = [
    forge({ at: now, id: "task-1\u0000x" }),
    forge({ at: "0000-01-01T00:00:00Z", id: "task-1" }),
    forge({ at: "+010000-01-01T00:00:00Z", id: "task-1" }),
    forge({ p: "high", at: now, id: "a\u0000" }),
    forge({ p: "high", at: "0000-01-01T00:00:00.000Z", id: "task-1" }),
  ];
  const answers: string[] = [];
  const check = async (path: string, query: Record<string, string>, params: Record<string, string> = {}) => {
    const res = await call(route(path), "GET", { token: ADMIN_TOKEN, query, params });
    const problem = (res.headers.get("content-type") ?? "").includes("application/problem+json");
    if (![400, 422].includes(res.status) || !problem) answers.push(`${path} ${JSON.stringify(query)} → ${res.status}`);
  };
  for (const cursor of cursors) {
    for (const path of ["/tasks", "/votes", "/escalations"]) await check(path, { cursor });
    await check("/tasks", { cursor, order: "claim" });
  }
  for (const since of ["0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "1969-12-31T23:59:59Z"]) {
    await check("/analytics/dashboard", { since });
    await check("/analytics/leaderboard", { since });
    await check("/analytics/charts", { since });
    await check("/analytics/agents/[name]", { since }, { name: "kimi" });
    await check("/analytics/task-types/[type]", { since }, { type: "research" });
  }
  expect(answers).toEqual([]);
});
