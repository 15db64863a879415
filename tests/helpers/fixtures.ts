// A seeded federation for integration tests: the first-run agents and rules, an admin token, agent tokens,
// people with sessions, tasks made through the API.
import { afterAll, beforeAll, expect } from "vitest";
import * as tokens from "@/app/api/v1/agents/[name]/tokens/route";
import * as tasks from "@/app/api/v1/tasks/route";
import { SYSTEM } from "@/lib/auth/actor";
import { ensureFirstRun } from "@/lib/system/first-run";
import type { Role } from "@/lib/auth/actor";
import { createUser } from "@/lib/users/service";
import { call, sessionCookie } from "./api";
import { migratedDatabase } from "./database";

export const ADMIN_TOKEN = "integration-admin-token-0123456789abcdef";
export const admin = { token: ADMIN_TOKEN };

/** Every field a task has in shared/docs/api-contract.md. */
export const TASK_FIELDS = [
  "id",
  "title",
  "description",
  "type",
  "priority",
  "state",
  "assignee",
  "createdBy",
  "source",
  "parentId",
  "ruleId",
  "chainDepth",
  "dependsOn",
  "blocked",
  "attempts",
  "maxAttempts",
  "leaseExpiresAt",
  "claimedBy",
  "outcome",
  "createdAt",
  "updatedAt",
  "completedAt",
];

type Database = Awaited<ReturnType<typeof migratedDatabase>>;

export function seededFederation() {
  const ctx = {} as {
    db: Database;
    /** A new token for the agent. */
    token: (agent: string) => Promise<string>;
    /** One token per agent for the whole file, issued on first use. */
    agentToken: (agent: string) => Promise<string>;
  };
  const issued = new Map<string, Promise<string>>();
  beforeAll(async () => {
    process.env.FED_ADMIN_TOKEN = ADMIN_TOKEN;
    ctx.db = await migratedDatabase();
    await ensureFirstRun(ctx.db.prisma, { FED_ADMIN_PASSWORD: "integration-password" });
    ctx.token = async (agent: string) => {
      const res = await call(tokens.POST, "POST", { ...admin, params: { name: agent } });
      expect(res.status).toBe(201);
      return res.body.token as string;
    };
    ctx.agentToken = (agent: string) => {
      if (!issued.has(agent)) issued.set(agent, ctx.token(agent));
      return issued.get(agent)!;
    };
  });
  afterAll(() => ctx.db.drop());
  return ctx;
}

/** A person with the role, signed in: their session cookie. */
export async function signedIn(db: Database, role: Role, email: string): Promise<string> {
  const name = email.split("@")[0]!;
  const { user } = await createUser(db.prisma, SYSTEM, { email, name, role, password: `${name}-password-1` });
  return sessionCookie(user.id);
}

/** Makes tasks through the API (each must be created: 201), titled `<prefix> <n>` unless the body names one. */
export function taskMaker(prefix: string) {
  let counter = 0;
  return async (body: Record<string, unknown>, as: { token?: string; cookie?: string } = admin): Promise<any> => {
    const res = await call(tasks.POST, "POST", { ...as, body: { title: `${prefix} ${++counter}`, ...body } });
    expect(res.status).toBe(201);
    return res.body;
  };
}
