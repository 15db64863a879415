// Routing a task: v1 (rules), v2 (the seed's hybrid), candidates with their parts, fallback for inactive agents.
import type { Tx } from "@/lib/db/client";
import { resolveWorkingAgent } from "@/lib/agents/fallback";
import { effectiveStatus } from "@/lib/agents/status";
import { loadModel } from "./model";
import { hybridFinal, mlConfidence, mlScore, ruleScores, WEIGHTS, type RuleLike } from "./score";
import { routeInput, type Candidate, type RouteInput, type RouteResult } from "./schema";
import { terms } from "./text";

interface Scored {
  candidates: Candidate[];
  samples: number;
}

async function score(
  db: Tx,
  text: string,
  type: string | undefined,
  version: "v1" | "v2",
): Promise<Scored & { agents: { name: string; status: string; fallbackName: string | null }[] }> {
  const [rows, rules, model] = await Promise.all([
    db.agent.findMany({
      select: { name: true, status: true, statusUntil: true, fallbackName: true },
      orderBy: { name: "asc" },
    }),
    db.routingRule.findMany({ select: { agent: true, kind: true, pattern: true, weight: true } }),
    loadModel(db),
  ]);
  const agents = rows.map((a) => ({ name: a.name, status: effectiveStatus(a), fallbackName: a.fallbackName }));
  const rule = ruleScores(rules as RuleLike[], text, type);
  const taskTerms = terms(text);
  const samples = model.snapshot.samples;
  const candidates = agents.map((a): Candidate => {
    const r = rule.get(a.name) ?? { score: 0, rule: null };
    const ml = mlScore(model.snapshot, a.name, taskTerms);
    const final = version === "v1" ? r.score : hybridFinal(r.score, ml.score, samples);
    return {
      agent: a.name,
      ruleScore: r.score,
      mlScore: version === "v1" ? 0 : ml.score,
      final,
      status: a.status,
      matchedRule: r.rule ? `${r.rule.kind}:${r.rule.pattern}` : null,
      terms:
        version === "v1"
          ? []
          : ml.contributions.slice(0, 6).map((c) => ({ term: c.term, rate: c.rate, trials: c.trials, shift: c.shift })),
    };
  });
  candidates.sort((x, y) => y.final - x.final || x.agent.localeCompare(y.agent));
  return { candidates, samples, agents };
}

function decide(scored: Awaited<ReturnType<typeof score>>, version: "v1" | "v2"): RouteResult {
  const best = scored.candidates[0];
  const result: RouteResult = {
    agent: best && best.final > 0 ? best.agent : null,
    confidence: best?.final ?? 0,
    method: version === "v1" ? "rules" : "hybrid",
    version,
    candidates: scored.candidates,
  };
  if (result.agent) {
    const working = resolveWorkingAgent(scored.agents, result.agent);
    const status = scored.agents.find((a) => a.name === result.agent)?.status ?? "offline";
    if (!working) {
      result.fallbackApplied = {
        from: result.agent,
        to: "",
        reason: `${result.agent} is ${status} and no active agent stands in for it`,
      };
      result.agent = null;
    } else if (working.agent !== result.agent) {
      result.fallbackApplied = { from: result.agent, to: working.agent, reason: `${result.agent} is ${status}` };
      result.agent = working.agent;
    }
  }
  return result;
}

export async function routeTask(db: Tx, raw: RouteInput): Promise<RouteResult> {
  const input = routeInput.parse(raw);
  const primary = await score(db, input.task, input.type, input.version);
  const result = decide(primary, input.version);
  const chosen = primary.candidates[0];
  if (input.explain && chosen) {
    result.breakdown = {
      ruleScore: chosen.ruleScore,
      mlScore: chosen.mlScore,
      mlConfidence: input.version === "v1" ? 0 : mlConfidence(primary.samples),
      samples: primary.samples,
      weights: { rules: WEIGHTS.rules, ml: WEIGHTS.ml },
    };
  }
  if (input.compare) {
    const other = decide(
      await score(db, input.task, input.type, input.version === "v1" ? "v2" : "v1"),
      input.version === "v1" ? "v2" : "v1",
    );
    const v1 = input.version === "v1" ? result : other;
    const v2 = input.version === "v1" ? other : result;
    result.compare = {
      v1: { agent: v1.agent, confidence: v1.confidence },
      v2: { agent: v2.agent, confidence: v2.confidence },
      agree: v1.agent === v2.agent,
    };
  }
  return result;
}
