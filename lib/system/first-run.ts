// First run on an empty database: the seed's agents and a first admin.
import type { Db } from "@/lib/db/client";
import { SYSTEM } from "@/lib/auth/actor";
import { createAgent } from "@/lib/agents/service";
import { SEED_AGENTS } from "@/lib/agents/schema";
import { createUser } from "@/lib/users/service";
import { seedDefaultRules } from "@/lib/routing/rules";
import { createScheduleRule, DEFAULT_SCHEDULE_RULES } from "@/lib/scheduling/rules";

export interface FirstRunResult {
  agentsCreated: string[];
  routingRules?: number;
  admin?: { email: string; password: string; generated: boolean };
}

export const DEFAULT_ADMIN_EMAIL = "admin@federation.local";

export async function ensureFirstRun(
  db: Db,
  env: Record<string, string | undefined> = process.env,
): Promise<FirstRunResult> {
  const result: FirstRunResult = { agentsCreated: [] };
  if ((await db.agent.count()) === 0) {
    // Fallbacks are created before the agents that point at them.
    const ordered = [...SEED_AGENTS].sort((a, b) => Number(Boolean(a.fallback)) - Number(Boolean(b.fallback)));
    for (const agent of ordered) {
      await createAgent(db, SYSTEM, agent);
      result.agentsCreated.push(agent.name);
    }
  }
  // The routing model row marks that routing was set up once; rules an admin deletes later stay deleted.
  if (!(await db.routingModel.findUnique({ where: { id: 1 } }))) {
    result.routingRules = await seedDefaultRules(db);
    await db.routingModel.upsert({ where: { id: 1 }, create: { id: 1 }, update: {} });
  }
  // Likewise the federation state row: the seed's auto-scheduling rules, with the switch off.
  if (!(await db.federationState.findUnique({ where: { id: 1 } }))) {
    const agents = new Set((await db.agent.findMany({ select: { name: true } })).map((a) => a.name));
    for (const rule of DEFAULT_SCHEDULE_RULES) {
      const names = [rule.when.agent, ...rule.then.map((t) => t.assignee)].filter(
        (n): n is string => !!n && !n.startsWith("{{"),
      );
      if (names.every((n) => agents.has(n))) await createScheduleRule(db, "system", rule);
    }
    await db.federationState.upsert({
      where: { id: 1 },
      create: { id: 1, autoScheduling: false, updatedBy: "system" },
      update: {},
    });
  }
  if ((await db.user.count()) === 0) {
    const email = (env.FED_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).toLowerCase();
    const given = env.FED_ADMIN_PASSWORD;
    const { password } = await createUser(db, SYSTEM, {
      email,
      name: "Admin",
      role: "admin",
      ...(given ? { password: given } : {}),
    });
    result.admin = { email, password, generated: !given };
  }
  return result;
}
