// Pure scoring: the v1 rule score, the ML success score, and the seed's v2 hybrid formula.
import { containsKeyword } from "./text";

export const WEIGHTS = { rules: 0.6, ml: 0.4 } as const;
/** Below this routing confidence a new task waits for a person instead. */
export const MIN_CONFIDENCE = 0.3;

export function mlConfidence(samples: number): number {
  return Math.min(1, samples / 100);
}

/** v2, exactly as the seed: final = 0.6 × rule + 0.4 × ml × min(1, samples / 100). */
export function hybridFinal(ruleScore: number, mlScore: number, samples: number): number {
  return WEIGHTS.rules * ruleScore + WEIGHTS.ml * mlScore * mlConfidence(samples);
}

export interface RuleLike {
  agent: string;
  kind: "type" | "keyword";
  pattern: string;
  weight: number;
}

/** Each agent's best matching rule weight (0 when none matches), and which rule it was. */
export function ruleScores(
  rules: RuleLike[],
  text: string,
  type?: string,
): Map<string, { score: number; rule: RuleLike | null }> {
  const out = new Map<string, { score: number; rule: RuleLike | null }>();
  for (const rule of rules) {
    const hit =
      rule.kind === "type"
        ? !!type && type.toLowerCase() === rule.pattern.toLowerCase()
        : containsKeyword(text, rule.pattern);
    const best = out.get(rule.agent);
    if (hit && (!best || rule.weight > best.score)) out.set(rule.agent, { score: rule.weight, rule });
    else if (!best) out.set(rule.agent, { score: 0, rule: null });
  }
  return out;
}

export interface TermStats {
  /** successes and trials per agent for one term */
  byAgent: Map<string, { successes: number; trials: number }>;
  docs: number;
}

export interface ModelSnapshot {
  samples: number;
  /** per-agent totals */
  totals: Map<string, { successes: number; trials: number }>;
  terms: Map<string, TermStats>;
}

const PRIOR = 4; // pseudo-samples pulling a term's success rate toward the agent's overall rate
const SHARPNESS = 3; // how far the averaged term evidence moves the agent's log-odds
const MIN_DOCS = 2; // terms seen fewer times carry no evidence

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export interface TermContribution {
  term: string;
  idf: number;
  /** this agent's smoothed success rate on samples with the term */
  rate: number;
  trials: number;
  /** log-odds shift this term adds, before averaging */
  shift: number;
}

export interface MlScore {
  score: number;
  baseRate: number;
  contributions: TermContribution[];
}

/**
 * An agent's expected success on this text: its overall success rate, moved by the IDF-weighted mean of
 * how much better or worse it does on samples sharing each term (log-odds, smoothed toward its own rate).
 */
export function mlScore(model: ModelSnapshot, agent: string, taskTerms: string[]): MlScore {
  const total = model.totals.get(agent) ?? { successes: 0, trials: 0 };
  const base = (total.successes + 1) / (total.trials + 2);
  const contributions: TermContribution[] = [];
  let weighted = 0;
  let weights = 0;
  for (const term of taskTerms) {
    const stats = model.terms.get(term);
    if (!stats || stats.docs < MIN_DOCS) continue;
    const idf = Math.log((model.samples + 1) / (stats.docs + 1)) + 1;
    const s = stats.byAgent.get(agent) ?? { successes: 0, trials: 0 };
    const rate = (s.successes + PRIOR * base) / (s.trials + PRIOR);
    const shift = logit(rate) - logit(base);
    weighted += idf * shift;
    weights += idf;
    contributions.push({ term, idf, rate, trials: s.trials, shift });
  }
  const score = sigmoid(logit(base) + (weights ? (weighted / weights) * SHARPNESS : 0));
  contributions.sort((a, b) => Math.abs(b.shift * b.idf) - Math.abs(a.shift * a.idf));
  return { score, baseRate: base, contributions };
}
