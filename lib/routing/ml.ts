// The ML part of routing, as pure functions over counts (the database keeps the same counts; lib/routing/model.ts).
//
// An agent's expected success on a task: start from its success rate on the task's type (shrunk toward its
// overall rate), then move it by how it did on samples of that type sharing the task's words (each term's rate
// shrunk toward the type rate: empirical Bayes). With no type given, the type is predicted from the text by a
// naive Bayes classifier trained on the same samples, and the scores are mixed by its posterior.
import { stems, terms as termsOf } from "./text";

export interface Counts {
  successes: number;
  trials: number;
}

/** Counts of samples containing a term, also weighted by 1/√(the sample's number of terms) for the pooling. */
export interface TermCounts extends Counts {
  wSuccesses: number;
  wTrials: number;
}

export interface TypeStats {
  /** samples of this type */
  docs: number;
  /** each agent's outcomes on the type */
  agents: Map<string, Counts>;
  /** per term: how many samples of the type contain it (the classifier and the IDF) */
  termDocs: Map<string, number>;
  /** per term, per agent: outcomes on samples of the type containing the term */
  termAgents: Map<string, Map<string, TermCounts>>;
}

export interface Model {
  samples: number;
  /** every sample, typed or not ("any type") */
  any: TypeStats;
  /** typed samples by type */
  types: Map<string, TypeStats>;
}

export interface MlSettings {
  /** pseudo-samples pulling an agent's rate on a type toward the type's pooled rate */
  typePrior: number;
  /** pseudo-samples pulling the similar texts' pooled rate toward the agent's type rate */
  termPrior: number;
  /** similarity weight of a shared term: idf^power */
  idfPower: number;
  /** terms in fewer samples of the type carry no evidence */
  minDocs: number;
  /** additive smoothing of the type classifier */
  nbAlpha: number;
  /** the classifier's posterior is flattened by this (1 = as is) */
  nbTemperature: number;
}

/** Chosen by cross-validation on outcomes-train.jsonl (npm run bench:routing prints the search). */
export const DEFAULT_SETTINGS: MlSettings = {
  typePrior: 10,
  termPrior: 50,
  idfPower: 2,
  minDocs: 2,
  nbAlpha: 0.5,
  nbTemperature: 1,
};

export interface Sample {
  text: string;
  type?: string | null;
  agent: string;
  success: boolean;
}

const emptyStats = (): TypeStats => ({ docs: 0, agents: new Map(), termDocs: new Map(), termAgents: new Map() });
export const emptyModel = (): Model => ({ samples: 0, any: emptyStats(), types: new Map() });

function add(map: Map<string, Counts>, key: string, success: boolean): void {
  const c = map.get(key) ?? { successes: 0, trials: 0 };
  c.trials += 1;
  if (success) c.successes += 1;
  map.set(key, c);
}

/** A sample's weight in the term pools: texts with many terms spread their evidence thinner (cosine similarity). */
export const sampleWeight = (terms: number) => (terms ? 1 / Math.sqrt(terms) : 0);

function foldInto(stats: TypeStats, terms: string[], agent: string, success: boolean): void {
  stats.docs += 1;
  add(stats.agents, agent, success);
  const w = sampleWeight(terms.length);
  for (const term of terms) {
    stats.termDocs.set(term, (stats.termDocs.get(term) ?? 0) + 1);
    let byAgent = stats.termAgents.get(term);
    if (!byAgent) stats.termAgents.set(term, (byAgent = new Map()));
    const c = byAgent.get(agent) ?? { successes: 0, trials: 0, wSuccesses: 0, wTrials: 0 };
    c.trials += 1;
    c.wTrials += w;
    if (success) {
      c.successes += 1;
      c.wSuccesses += w;
    }
    byAgent.set(agent, c);
  }
}

/** Learns one sample (in memory; the database does the same in SQL). */
export function foldSample(model: Model, sample: Sample, terms = termsOf(sample.text)): void {
  model.samples += 1;
  foldInto(model.any, terms, sample.agent, sample.success);
  if (sample.type) {
    let stats = model.types.get(sample.type);
    if (!stats) model.types.set(sample.type, (stats = emptyStats()));
    foldInto(stats, terms, sample.agent, sample.success);
  }
}

const rate = (c: Counts | undefined, prior: number, toward: number) =>
  ((c?.successes ?? 0) + prior * toward) / ((c?.trials ?? 0) + prior);

/** P(type | text) from the typed samples (naive Bayes over the text's unique stems); empty with no typed samples. */
export function predictType(model: Model, text: string, settings = DEFAULT_SETTINGS): Map<string, number> {
  const out = new Map<string, number>();
  const typed = [...model.types.entries()].filter(([, s]) => s.docs > 0);
  if (!typed.length) return out;
  const total = typed.reduce((n, [, s]) => n + s.docs, 0);
  const words = [...new Set(stems(text))];
  const known = words.filter((w) => typed.some(([, s]) => s.termDocs.has(w)));
  const logs = typed.map(([type, s]) => {
    let lp = Math.log(s.docs / total);
    // Bernoulli-style: the chance a sample of this type contains each word of the text.
    for (const w of known)
      lp += Math.log(((s.termDocs.get(w) ?? 0) + settings.nbAlpha) / (s.docs + 2 * settings.nbAlpha));
    return [type, lp / settings.nbTemperature] as const;
  });
  const max = Math.max(...logs.map(([, l]) => l));
  const sum = logs.reduce((n, [, l]) => n + Math.exp(l - max), 0);
  for (const [type, l] of logs) out.set(type, Math.exp(l - max) / sum);
  return out;
}

export interface AgentMl {
  score: number;
  /** the type the score leans on most, and the agent's rate on it */
  type: string | null;
  typeRate: number;
  overallRate: number;
  terms: TermEvidence[];
}

export interface TermEvidence {
  term: string;
  /** this agent's outcomes on samples of the type with the term */
  successes: number;
  trials: number;
  /** the term's share of the similarity (idf^power, normalised over the text's terms) */
  weight: number;
}

/**
 * Within one type: the agent's rate on the type, moved by its outcomes on similar texts — the samples of the
 * type sharing the text's terms, each weighted by its cosine similarity to the text (idf-weighted; linear in the
 * samples, so it is a sum over term pools) — shrunk toward the type rate by `termPrior` pseudo-samples.
 */
/** How often any agent succeeds on the type: where an agent with few samples of it starts. */
function pooledRate(stats: TypeStats): number {
  let s = 0;
  let n = 0;
  for (const c of stats.agents.values()) {
    s += c.successes;
    n += c.trials;
  }
  return (s + 1) / (n + 2);
}

function scoreWithin(
  stats: TypeStats,
  agent: string,
  terms: string[],
  settings: MlSettings,
): { score: number; typeRate: number; terms: TermEvidence[] } {
  // Shrunk toward the type's pooled rate, not the agent's overall one: success at other kinds of work says
  // nothing about this kind.
  const typeRate = rate(stats.agents.get(agent), settings.typePrior, pooledRate(stats));
  const used: { term: string; weight: number; c: TermCounts | undefined }[] = [];
  let norm = 0;
  for (const term of terms) {
    const docs = stats.termDocs.get(term) ?? 0;
    if (docs < settings.minDocs) continue;
    const idf = Math.log((stats.docs + 1) / (docs + 1)) + 1;
    const weight = idf ** settings.idfPower;
    norm += idf * idf;
    used.push({ term, weight, c: stats.termAgents.get(term)?.get(agent) });
  }
  norm = Math.sqrt(norm) || 1;
  let s = 0;
  let n = 0;
  for (const u of used) {
    s += (u.weight * (u.c?.wSuccesses ?? 0)) / norm;
    n += (u.weight * (u.c?.wTrials ?? 0)) / norm;
  }
  const score = (s + settings.termPrior * typeRate) / (n + settings.termPrior);
  const total = used.reduce((a, u) => a + u.weight, 0) || 1;
  const evidence = used
    .map((u) => ({ term: u.term, successes: u.c?.successes ?? 0, trials: u.c?.trials ?? 0, weight: u.weight / total }))
    .sort((a, b) => b.weight - a.weight);
  return { score, typeRate, terms: evidence };
}

/**
 * Every agent's expected success on the text. With `type` (given, or known to the model) the score is the
 * agent's within that type; without, the mixture over the classifier's posterior; with no typed samples at all,
 * the pooled "any type" statistics.
 */
export function mlScores(
  model: Model,
  agents: string[],
  text: string,
  type?: string | null,
  settings = DEFAULT_SETTINGS,
): { scores: Map<string, AgentMl>; typeGuess: Map<string, number> } {
  const terms = termsOf(text);
  // A type the model knows: its figures. A type it has never seen: every sample, pooled (not a guessed type —
  // the caller said what it is). No type: the classifier's reading of the text.
  const posterior: Map<string, number> = type
    ? model.types.has(type)
      ? new Map([[type, 1]])
      : new Map()
    : predictType(model, text, settings);
  const scores = new Map<string, AgentMl>();
  for (const agent of agents) {
    const overallRate = rate(model.any.agents.get(agent), 2, 0.5);
    if (!posterior.size) {
      const s = scoreWithin(model.any, agent, terms, settings);
      scores.set(agent, { score: s.score, type: null, typeRate: s.typeRate, overallRate, terms: s.terms });
      continue;
    }
    let score = 0;
    let top: { type: string; p: number; typeRate: number; terms: TermEvidence[] } | null = null;
    for (const [t, p] of posterior) {
      if (p < 1e-4) continue;
      const s = scoreWithin(model.types.get(t)!, agent, terms, settings);
      score += p * s.score;
      if (!top || p > top.p) top = { type: t, p, typeRate: s.typeRate, terms: s.terms };
    }
    const mass = [...posterior.values()].filter((p) => p >= 1e-4).reduce((a, b) => a + b, 0);
    scores.set(agent, {
      score: score / mass,
      type: top?.type ?? null,
      typeRate: top?.typeRate ?? overallRate,
      overallRate,
      terms: top?.terms ?? [],
    });
  }
  return { scores, typeGuess: posterior };
}

/** The text's terms the model has seen often enough to weigh (in `minDocs` samples or more, any type). */
export function knownTerms(model: Model, text: string, settings = DEFAULT_SETTINGS): string[] {
  return termsOf(text).filter((t) => (model.any.termDocs.get(t) ?? 0) >= settings.minDocs);
}
