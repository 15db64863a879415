// Pure scoring: the v1 rule score and the seed's v2 hybrid formula (the ML score is lib/routing/ml.ts).
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
