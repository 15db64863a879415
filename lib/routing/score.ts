// Pure scoring: the v1 rule score, the ML success score, and the seed's v2 hybrid formula.
import { containsStems, stems } from "./text";

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
  /** the keyword's stems, when compiled ahead (compileRules) */
  stems?: string[];
}

/** Rules with their keywords' stems worked out once, for scoring many texts. */
export function compileRules<R extends RuleLike>(rules: R[]): (R & { stems: string[] })[] {
  return rules.map((r) => ({ ...r, stems: r.kind === "keyword" ? stems(r.pattern) : [] }));
}

export interface RuleMatch {
  score: number;
  /** the strongest matching rule */
  rule: RuleLike | null;
  /** every matching rule, strongest first */
  matched: RuleLike[];
}

/**
 * Each agent's rule score: the evidence of every matching rule combined (noisy-or: 1 − Π(1 − weight)), so two
 * keywords say more than one, and never more than 1. Keywords match word stems ("endpoint" matches "endpoints").
 */
export function ruleScores(rules: RuleLike[], text: string, type?: string): Map<string, RuleMatch> {
  const textStems = stems(text);
  const out = new Map<string, RuleMatch>();
  for (const rule of rules) {
    const hit =
      rule.kind === "type"
        ? !!type && type.toLowerCase() === rule.pattern.toLowerCase()
        : containsStems(textStems, rule.stems ?? stems(rule.pattern));
    const m = out.get(rule.agent) ?? { score: 0, rule: null, matched: [] };
    if (hit) m.matched.push(rule);
    out.set(rule.agent, m);
  }
  for (const m of out.values()) {
    m.matched.sort((a, b) => b.weight - a.weight);
    m.rule = m.matched[0] ?? null;
    // One piece of evidence per stem sequence: "docs" and "documentation" are the same word twice.
    const seen = new Set<string>();
    let keep = 1;
    for (const r of m.matched) {
      const key = r.kind === "type" ? `type:${r.pattern.toLowerCase()}` : (r.stems ?? stems(r.pattern)).join(" ");
      if (seen.has(key)) continue;
      seen.add(key);
      keep *= 1 - Math.min(1, Math.max(0, r.weight));
    }
    m.score = 1 - keep;
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
