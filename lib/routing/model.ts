// The ML router's model in the database (the truth shared by every app instance), trained incrementally
// from routing samples, and cached in memory per model version.
import type { Db, Tx } from "@/lib/db/client";
import type { ModelSnapshot } from "./score";
import { terms } from "./text";

const TOTAL = ""; // the term row that holds an agent's totals

export async function addSample(
  db: Tx,
  sample: { text: string; agent: string; success: boolean; source: string; taskId?: string | null },
): Promise<void> {
  await db.routingSample.create({
    data: {
      text: sample.text,
      agent: sample.agent,
      success: sample.success,
      source: sample.source,
      taskId: sample.taskId ?? null,
    },
  });
}

/** Every outcome of a task as a training sample, in one statement (for loading a history). */
export async function addSamplesFromOutcomes(db: Tx): Promise<number> {
  return db.$executeRaw`
    INSERT INTO routing_samples (text, agent, success, source, task_id)
    SELECT t.title || E'\n' || t.description, o.agent, o.success, 'task', o.task_id
    FROM outcomes o JOIN tasks t ON t.id = o.task_id`;
}

/**
 * Folds the samples not yet learnt into the counts, in batches. Safe to run from many instances at once:
 * the model row is locked, so each sample is learnt exactly once.
 */
export async function trainPending(db: Db, batchSize = 2000): Promise<number> {
  let learnt = 0;
  for (;;) {
    const n = await db.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO routing_model (id) VALUES (1) ON CONFLICT (id) DO NOTHING`;
      const [model] = await tx.$queryRaw<
        { last_sample_id: bigint }[]
      >`SELECT last_sample_id FROM routing_model WHERE id = 1 FOR UPDATE`;
      const batch = await tx.routingSample.findMany({
        where: { id: { gt: model!.last_sample_id } },
        orderBy: { id: "asc" },
        take: batchSize,
      });
      if (!batch.length) return 0;
      const stats = new Map<string, { agent: string; term: string; successes: number; trials: number }>();
      const docFreq = new Map<string, number>();
      for (const sample of batch) {
        for (const term of [TOTAL, ...terms(sample.text)]) {
          const key = `${sample.agent}\u0000${term}`;
          const s = stats.get(key) ?? { agent: sample.agent, term, successes: 0, trials: 0 };
          s.trials += 1;
          if (sample.success) s.successes += 1;
          stats.set(key, s);
          if (term !== TOTAL) docFreq.set(term, (docFreq.get(term) ?? 0) + 1);
        }
      }
      const rows = [...stats.values()];
      await tx.$executeRaw`
        INSERT INTO routing_term_stats (agent, term, successes, trials)
        SELECT * FROM unnest(${rows.map((r) => r.agent)}::text[], ${rows.map((r) => r.term)}::text[], ${rows.map((r) => r.successes)}::int[], ${rows.map((r) => r.trials)}::int[])
        ON CONFLICT (agent, term) DO UPDATE SET successes = routing_term_stats.successes + EXCLUDED.successes, trials = routing_term_stats.trials + EXCLUDED.trials`;
      const dfTerms = [...docFreq.keys()];
      await tx.$executeRaw`
        INSERT INTO routing_doc_freq (term, docs)
        SELECT * FROM unnest(${dfTerms}::text[], ${dfTerms.map((t) => docFreq.get(t)!)}::int[])
        ON CONFLICT (term) DO UPDATE SET docs = routing_doc_freq.docs + EXCLUDED.docs`;
      await tx.$executeRaw`
        UPDATE routing_model SET samples = samples + ${batch.length}, last_sample_id = ${batch[batch.length - 1]!.id},
          version = version + 1, trained_at = now()
        WHERE id = 1`;
      return batch.length;
    });
    learnt += n;
    if (n < batchSize) return learnt;
  }
}

interface Cached {
  version: number;
  snapshot: ModelSnapshot;
  trainedAt: Date | null;
  vocabulary: number;
}

const cache = globalThis as unknown as { federationRoutingModel?: Cached };

export interface ModelInfo {
  samples: number;
  vocabularySize: number;
  agents: string[];
  trainedAt: string | null;
}

/** The current model; reloads only when another instance (or this one) has trained since. */
export async function loadModel(db: Tx): Promise<{ snapshot: ModelSnapshot; info: ModelInfo }> {
  const [meta] = await db.$queryRaw<
    { version: number; samples: number; trained_at: Date | null }[]
  >`SELECT version, samples, trained_at FROM routing_model WHERE id = 1`;
  const version = meta?.version ?? 0;
  let cached = cache.federationRoutingModel;
  if (!cached || cached.version !== version) {
    const [stats, df] = await Promise.all([db.routingTermStat.findMany(), db.routingDocFreq.findMany()]);
    const snapshot: ModelSnapshot = { samples: meta?.samples ?? 0, totals: new Map(), terms: new Map() };
    for (const d of df) snapshot.terms.set(d.term, { docs: d.docs, byAgent: new Map() });
    for (const s of stats) {
      if (s.term === TOTAL) snapshot.totals.set(s.agent, { successes: s.successes, trials: s.trials });
      else snapshot.terms.get(s.term)?.byAgent.set(s.agent, { successes: s.successes, trials: s.trials });
    }
    cached = { version, snapshot, trainedAt: meta?.trained_at ?? null, vocabulary: df.length };
    cache.federationRoutingModel = cached;
  }
  return {
    snapshot: cached.snapshot,
    info: {
      samples: cached.snapshot.samples,
      vocabularySize: cached.vocabulary,
      agents: [...cached.snapshot.totals.keys()].sort(),
      trainedAt: cached.trainedAt?.toISOString() ?? null,
    },
  };
}

/** Forgets everything learnt (used by the evaluation to draw a learning curve). */
export async function resetModel(db: Db): Promise<void> {
  await db.$transaction([
    db.routingTermStat.deleteMany(),
    db.routingDocFreq.deleteMany(),
    db.routingSample.deleteMany(),
    db.routingModel.deleteMany(),
  ]);
}
