// Choosing the ML part's settings by cross-validation on training outcomes only. The criterion is off-policy:
// the success rate of the agents the model would choose, measured on held-out logged outcomes where the logged
// agent is the chosen one — an unbiased estimate when the logged agents were assigned at random.
import { DEFAULT_SETTINGS, emptyModel, foldSample, mlScores, type MlSettings, type Sample } from "./ml";
import { terms as termsOf } from "./text";
import { seededRandom } from "@/lib/random";

export interface CvResult {
  settings: MlSettings;
  /** success rate of the chosen agent on held-out outcomes it was logged for */
  successRate: number;
  /** held-out outcomes where the logged agent was the chosen one */
  matched: number;
  /** mean log-loss of the predicted success of the logged agent, over every held-out outcome (lower is better) */
  logLoss: number;
}

export function crossValidate(
  samples: Sample[],
  candidates: Partial<MlSettings>[],
  options: { folds?: number; seed?: number; withType?: boolean } = {},
): CvResult[] {
  const folds = options.folds ?? 5;
  const random = seededRandom(options.seed ?? 42); // the same folds every run
  const fold = samples.map(() => Math.floor(random() * folds));
  const agents = [...new Set(samples.map((s) => s.agent))].sort();
  const terms = samples.map((s) => termsOf(s.text));
  const models = Array.from({ length: folds }, (_, f) => {
    const m = emptyModel();
    samples.forEach((s, i) => fold[i] !== f && foldSample(m, s, terms[i]));
    return m;
  });
  return candidates.map((partial) => {
    const settings = { ...DEFAULT_SETTINGS, ...partial };
    let matched = 0;
    let successes = 0;
    let loss = 0;
    samples.forEach((s, i) => {
      const { scores } = mlScores(models[fold[i]!]!, agents, s.text, options.withType ? s.type : undefined, settings);
      const p = Math.min(1 - 1e-6, Math.max(1e-6, scores.get(s.agent)?.score ?? 0.5));
      loss -= s.success ? Math.log(p) : Math.log(1 - p);
      let best = agents[0]!;
      for (const a of agents) if (scores.get(a)!.score > scores.get(best)!.score) best = a;
      if (best !== s.agent) return;
      matched += 1;
      if (s.success) successes += 1;
    });
    return { settings, successRate: matched ? successes / matched : 0, matched, logLoss: loss / samples.length };
  });
}

export function grid(axes: { [K in keyof MlSettings]?: MlSettings[K][] }): Partial<MlSettings>[] {
  let out: Partial<MlSettings>[] = [{}];
  for (const [key, values] of Object.entries(axes) as [keyof MlSettings, number[]][])
    out = out.flatMap((o) => values.map((v) => ({ ...o, [key]: v })));
  return out;
}
