// Routing a task: v1 (rules), v2 (the seed's hybrid), candidates with their parts, fallback for inactive agents,
// and a person instead of a headline agent when no one is confident enough.
import type { Tx } from "@/lib/db/client";
import { workingAgent } from "@/lib/queue/eligible";
import { knownTerms, mlScores } from "./ml";
import { routingState } from "./state";
import { hybridFinal, MIN_CONFIDENCE, mlConfidence, ruleScores, WEIGHTS } from "./score";
import { routeInput, type Candidate, type RouteInput, type RouteResult } from "./schema";

interface Scored {
  candidates: Candidate[];
  samples: number;
  agents: { name: string; status: string; fallbackName: string | null }[];
  typeGuess?: { type: string; probability: number }[];
  /** A routing rule matches, or the model knows one of the text's words: without either, only priors speak. */
  evidence: boolean;
}

/** The `reason` of a route with no evidence to go on. */
export const NO_EVIDENCE = "no evidence";

/** What the orchestrator reads on a routing escalation: why the router named no agent. */
export function whyAPersonDecides(routed: { confidence: number; reason?: string; fallbackApplied?: unknown }): string {
  if (routed.reason === NO_EVIDENCE)
    return "No evidence to route on: no routing rule matches and the model knows none of its words; choose an agent.";
  const noStandIn = (routed.fallbackApplied as { to?: string } | undefined)?.to === "";
  if (noStandIn || routed.reason === NO_ACTIVE_AGENT) return `No agent can take it: ${routed.reason}; choose an agent.`;
  return `No agent is a confident match (best confidence ${routed.confidence.toFixed(2)} < ${MIN_CONFIDENCE}); choose one.`;
}

const NO_ACTIVE_AGENT = "no active agent";

async function score(db: Tx, text: string, type: string | undefined, version: "v1" | "v2"): Promise<Scored> {
  const { agents, rules, model: loaded } = await routingState(db, version === "v2");
  const rule = ruleScores(rules, text, type);
  const samples = loaded?.model.samples ?? 0;
  const ml = loaded
    ? mlScores(
        loaded.model,
        agents.map((a) => a.name),
        text,
        type,
      )
    : null;
  const candidates = agents.map((a): Candidate => {
    const r = rule.get(a.name) ?? { score: 0, rule: null, matched: [] };
    const m = ml?.scores.get(a.name);
    const mlScore = m?.score ?? 0;
    return {
      agent: a.name,
      ruleScore: r.score,
      mlScore,
      final: version === "v1" ? r.score : hybridFinal(r.score, mlScore, samples),
      status: a.status,
      matchedRule: r.rule ? `${r.rule.kind}:${r.rule.pattern}` : null,
      matchedRules: r.matched.map((x) => `${x.kind}:${x.pattern}`),
      ...(m ? { ml: { type: m.type, typeRate: m.typeRate, overallRate: m.overallRate } } : {}),
      terms: (m?.terms ?? []).slice(0, 6).map((t) => ({
        term: t.term,
        successes: t.successes,
        trials: t.trials,
        rate: t.trials ? t.successes / t.trials : null,
        weight: t.weight,
      })),
    };
  });
  candidates.sort((x, y) => y.final - x.final || x.agent.localeCompare(y.agent));
  const typeGuess =
    ml && !type && ml.typeGuess.size
      ? [...ml.typeGuess.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 3)
          .map(([t, p]) => ({ type: t, probability: p }))
      : undefined;
  const evidence =
    [...rule.values()].some((r) => r.score > 0 && r.matched.length > 0) ||
    (version === "v2" && !!loaded && knownTerms(loaded.model, text).length > 0);
  return { candidates, samples, agents, typeGuess, evidence };
}

async function decide(db: Tx, scored: Scored, version: "v1" | "v2"): Promise<RouteResult> {
  const best = scored.candidates[0];
  const confidence = best?.final ?? 0;
  const confident = !!best && confidence >= MIN_CONFIDENCE && scored.evidence;
  const result: RouteResult = {
    agent: confident ? best.agent : null,
    confidence,
    method: version === "v1" ? "rules" : "hybrid",
    version,
    candidates: scored.candidates,
    personDecides: !confident,
    ...(confident
      ? {}
      : {
          reason: !best
            ? NO_ACTIVE_AGENT
            : !scored.evidence
              ? NO_EVIDENCE
              : `best confidence ${confidence.toFixed(2)} < ${MIN_CONFIDENCE}`,
        }),
    ...(scored.typeGuess ? { typeGuess: scored.typeGuess } : {}),
  };
  if (result.agent) {
    const working = await workingAgent(db, result.agent);
    const status = scored.agents.find((a) => a.name === result.agent)?.status ?? "offline";
    if (!working) {
      result.fallbackApplied = {
        from: result.agent,
        to: "",
        reason: `${result.agent} is ${status} and no active agent stands in for it`,
      };
      result.agent = null;
      result.personDecides = true;
      result.reason = result.fallbackApplied.reason;
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
  const result = await decide(db, primary, input.version);
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
    const otherVersion = input.version === "v1" ? "v2" : "v1";
    const other = await decide(db, await score(db, input.task, input.type, otherVersion), otherVersion);
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
