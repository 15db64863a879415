// A seeded federation for integration tests: the first-run agents and rules, an admin token, agent tokens.
import { afterAll, beforeAll } from "vitest";
import * as tokens from "@/app/api/v1/agents/[name]/tokens/route";
import { ensureFirstRun } from "@/lib/system/first-run";
import { call } from "./api";
import { migratedDatabase } from "./database";

export const ADMIN_TOKEN = "integration-admin-token-0123456789abcdef";

export function seededFederation() {
  const ctx = {} as { db: Awaited<ReturnType<typeof migratedDatabase>>; token: (agent: string) => Promise<string> };
  beforeAll(async () => {
    process.env.FED_ADMIN_TOKEN = ADMIN_TOKEN;
    ctx.db = await migratedDatabase();
    await ensureFirstRun(ctx.db.prisma, { FED_ADMIN_PASSWORD: "integration-password" });
    ctx.token = async (agent: string) =>
      (await call(tokens.POST, "POST", { token: ADMIN_TOKEN, params: { name: agent } })).body.token as string;
  });
  afterAll(() => ctx.db.drop());
  return ctx;
}
