// What routing reads of the database: the model (cached in memory per version, reloaded only when some instance has
// trained since), what it knows, and the agents and rules as they are now — in one round trip per route.
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { AgentStatus } from "@/lib/agents/schema";
import { statusNowSql } from "@/lib/agents/status";
import { emptyModel, type Model, type TypeStats } from "./ml";
import { ANY } from "./model";
import { compileRules, type RuleLike } from "./score";

type CompiledRule = RuleLike & { stems: string[] };

export interface ModelInfo {
  samples: number;
  vocabularySize: number;
  agents: string[];
  trainedAt: string | null;
}

/** What the model knows, without loading it. */
export async function modelInfo(db: Tx): Promise<ModelInfo> {
  const [row] = await db.$queryRaw<
    { samples: number | null; vocabulary: number | null; trained_at: Date | null; agents: string[] | null }[]
  >`SELECT m.samples, m.vocabulary, m.trained_at,
      (SELECT array_agg(agent ORDER BY agent) FROM routing_type_stats WHERE type = '') AS agents
    FROM (SELECT 1) one LEFT JOIN routing_model m ON m.id = 1`;
  return {
    samples: row?.samples ?? 0,
    vocabularySize: row?.vocabulary ?? 0,
    agents: row?.agents ?? [],
    trainedAt: row?.trained_at?.toISOString() ?? null,
  };
}

interface Cached {
  version: string;
  model: Model;
  info: ModelInfo;
}

const cache = globalThis as unknown as { federationRoutingModel?: Cached };

function statsOf(model: Model, type: string): TypeStats {
  if (type === ANY) return model.any;
  let s = model.types.get(type);
  if (!s) model.types.set(type, (s = { docs: 0, agents: new Map(), termDocs: new Map(), termAgents: new Map() }));
  return s;
}

interface Meta {
  version: string;
  samples: number;
  vocabulary: number;
  trained_at: Date | null;
}

/** The current model; reloaded only when some instance has trained (or reset) since. */
export async function loadModel(db: Tx, known?: Meta | null): Promise<{ model: Model; info: ModelInfo }> {
  const [meta] =
    known !== undefined
      ? [known]
      : await db.$queryRaw<Meta[]>`
          SELECT version::text AS version, samples, vocabulary, trained_at FROM routing_model WHERE id = 1`;
  const version = meta?.version ?? "none";
  const cached = cache.federationRoutingModel;
  if (cached && cached.version === version) return cached;

  const [types, terms, docs] = await Promise.all([
    db.$queryRaw<{ type: string; agent: string; successes: number; trials: number }[]>`
      SELECT type, agent, successes, trials FROM routing_type_stats`,
    db.$queryRaw<
      { type: string; term: string; agent: string; successes: number; trials: number; ws: number; w: number }[]
    >`SELECT type, term, agent, successes, trials, w_successes AS ws, w_trials AS w FROM routing_term_stats`,
    db.$queryRaw<{ type: string; term: string; docs: number }[]>`SELECT type, term, docs FROM routing_term_docs`,
  ]);
  const model = emptyModel();
  for (const r of types) {
    const s = statsOf(model, r.type);
    s.agents.set(r.agent, { successes: r.successes, trials: r.trials });
    s.docs += r.trials;
  }
  for (const r of docs) statsOf(model, r.type).termDocs.set(r.term, r.docs);
  for (const r of terms) {
    const s = statsOf(model, r.type);
    let byAgent = s.termAgents.get(r.term);
    if (!byAgent) s.termAgents.set(r.term, (byAgent = new Map()));
    byAgent.set(r.agent, { successes: r.successes, trials: r.trials, wSuccesses: r.ws, wTrials: r.w });
  }
  model.samples = meta?.samples ?? 0;
  const info: ModelInfo = {
    samples: model.samples,
    vocabularySize: meta?.vocabulary ?? 0,
    agents: [...model.any.agents.keys()].sort(),
    trainedAt: meta?.trained_at?.toISOString() ?? null,
  };
  const fresh = { version, model, info };
  cache.federationRoutingModel = fresh;
  return fresh;
}

export interface RoutingAgent {
  name: string;
  /** As it is now (lib/agents/status.ts). */
  status: AgentStatus;
  fallbackName: string | null;
}

interface CachedRules {
  version: string;
  rules: CompiledRule[];
}
const rulesCache = globalThis as unknown as { federationRoutingRules?: CachedRules };

/**
 * Everything routing reads, in one round trip: the agents as they are now, and the versions of the rules and
 * the model — each reloaded (rules compiled to stems, the model's counts) only when its version has moved.
 */
export async function routingState(
  db: Tx,
  withModel: boolean,
): Promise<{ agents: RoutingAgent[]; rules: CompiledRule[]; model: { model: Model; info: ModelInfo } | null }> {
  const [row] = await db.$queryRaw<
    {
      version: string | null;
      rules_version: string | null;
      samples: number | null;
      vocabulary: number | null;
      trained_at: Date | null;
      agents: { name: string; status: AgentStatus; fallback: string | null }[] | null;
    }[]
  >`SELECT m.version::text AS version, m.rules_version::text AS rules_version, m.samples, m.vocabulary, m.trained_at,
      (SELECT json_agg(json_build_object('name', a.name, 'status', ${Prisma.raw(statusNowSql("a"))}, 'fallback', a.fallback)
         ORDER BY a.name) FROM agents a) AS agents
    FROM (SELECT 1) one LEFT JOIN routing_model m ON m.id = 1`;
  const rulesVersion = row?.rules_version ?? "none";
  let cached = rulesCache.federationRoutingRules;
  if (!cached || cached.version !== rulesVersion) {
    const rules = await db.routingRule.findMany({ select: { agent: true, kind: true, pattern: true, weight: true } });
    cached = { version: rulesVersion, rules: compileRules(rules as RuleLike[]) };
    rulesCache.federationRoutingRules = cached;
  }
  const agents = (row?.agents ?? []).map((a) => ({ name: a.name, status: a.status, fallbackName: a.fallback }));
  const model =
    withModel && row?.version != null
      ? await loadModel(db, {
          version: row.version,
          samples: row.samples ?? 0,
          vocabulary: row.vocabulary ?? 0,
          trained_at: row.trained_at,
        })
      : withModel
        ? await loadModel(db, null)
        : null;
  return { agents, rules: cached.rules, model };
}
