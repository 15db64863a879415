// The ML router's model in the database — the truth every app instance shares — trained from routing samples
// exactly once each (a per-row `learned_at` mark, set in the transaction that adds the sample's counts); each
// training moves the model's version (a sequence value, never reused), by which lib/routing/state.ts caches it.
import type pg from "pg";
import { poolOf, type Db, type Tx } from "@/lib/db/client";
import { sampleWeight } from "./ml";

import { terms as termsOf } from "./text";

/** Serialises trainers across instances (pg_advisory_xact_lock); readers never wait for it. */
const TRAIN_LOCK = 72707372;
/** The type under which every sample is counted (typed or not). */
export const ANY = "";

export interface SampleInput {
  text: string;
  type?: string | null;
  agent: string;
  success: boolean;
  source: string;
  taskId?: string | null;
}

export async function addSample(db: Tx, sample: SampleInput): Promise<void> {
  await db.routingSample.create({
    data: {
      text: sample.text,
      type: sample.type ?? null,
      agent: sample.agent,
      success: sample.success,
      source: sample.source,
      taskId: sample.taskId ?? null,
    },
  });
}

/**
 * SQL for a task's own words: its title and description without its parent's (a follow-up titled
 * "Implement: Research X" teaches "implement", not "research X"). A rule's follow-up carries the chain's first
 * title in `metadata.baseTitle` and a description made of its parent's report: neither is its own. `t` is the
 * task, `p` its parent (may be NULL).
 */
export const ownWordsSql = (t: string, p: string) =>
  `(CASE WHEN ${t}.metadata->>'baseTitle' <> '' THEN replace(${t}.title, ${t}.metadata->>'baseTitle', '')
         WHEN ${p}.title <> '' THEN replace(${t}.title, ${p}.title, '') ELSE ${t}.title END || E'\\n' ||
    CASE WHEN ${t}.rule_id IS NOT NULL THEN ''
         WHEN ${p}.description <> '' THEN replace(${t}.description, ${p}.description, '') ELSE ${t}.description END)`;

/** A finished task as a training sample: its own words, its own type. */
export async function addTaskSample(db: Tx, taskId: string, agent: string, success: boolean): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO routing_samples (text, type, agent, success, source, task_id)
     SELECT ${ownWordsSql("t", "p")}, t.type, $2, $3, 'task', t.id
     FROM tasks t LEFT JOIN tasks p ON p.id = t.parent_id WHERE t.id = $1`,
    taskId,
    agent,
    success,
  );
}

/** Every outcome of a task as a training sample, in one statement (for loading a history). */
export async function addSamplesFromOutcomes(db: Tx): Promise<number> {
  return db.$executeRawUnsafe(
    `INSERT INTO routing_samples (text, type, agent, success, source, task_id)
     SELECT ${ownWordsSql("t", "p")}, t.type, o.agent, o.success, 'task', o.task_id
     FROM outcomes o JOIN tasks t ON t.id = o.task_id LEFT JOIN tasks p ON p.id = t.parent_id`,
  );
}

interface Folded {
  typeStats: Map<string, { type: string; agent: string; successes: number; trials: number }>;
  termStats: Map<
    string,
    { type: string; term: string; agent: string; successes: number; trials: number; w: number; ws: number }
  >;
  termDocs: Map<string, { type: string; term: string; docs: number }>;
}

function fold(rows: { text: string; type: string | null; agent: string; success: boolean }[]): Folded {
  const out: Folded = { typeStats: new Map(), termStats: new Map(), termDocs: new Map() };
  for (const row of rows) {
    const terms = termsOf(row.text);
    const w = sampleWeight(terms.length);
    for (const type of row.type ? [ANY, row.type] : [ANY]) {
      const tk = `${type}\u0000${row.agent}`;
      const ts = out.typeStats.get(tk) ?? { type, agent: row.agent, successes: 0, trials: 0 };
      ts.trials += 1;
      if (row.success) ts.successes += 1;
      out.typeStats.set(tk, ts);
      for (const term of terms) {
        const dk = `${type}\u0000${term}`;
        const d = out.termDocs.get(dk) ?? { type, term, docs: 0 };
        d.docs += 1;
        out.termDocs.set(dk, d);
        const sk = `${dk}\u0000${row.agent}`;
        const s = out.termStats.get(sk) ?? { type, term, agent: row.agent, successes: 0, trials: 0, w: 0, ws: 0 };
        s.trials += 1;
        s.w += w;
        if (row.success) {
          s.successes += 1;
          s.ws += w;
        }
        out.termStats.set(sk, s);
      }
    }
  }
  return out;
}

async function trainBatch(client: pg.PoolClient, batchSize: number): Promise<number> {
  await client.query("SELECT pg_advisory_xact_lock($1)", [TRAIN_LOCK]);
  const { rows } = await client.query<{ text: string; type: string | null; agent: string; success: boolean }>(
    `WITH batch AS MATERIALIZED (
       SELECT id FROM routing_samples WHERE learned_at IS NULL ORDER BY id LIMIT $1
     )
     UPDATE routing_samples s SET learned_at = now() FROM batch WHERE s.id = batch.id
     RETURNING s.text, s.type, s.agent, s.success`,
    [batchSize],
  );
  if (!rows.length) return 0;
  const f = fold(rows);
  const ts = [...f.typeStats.values()];
  const st = [...f.termStats.values()];
  const td = [...f.termDocs.values()];
  // Every count of the batch in one statement: type rates, term pools, term documents, and the model row.
  await client.query(
    `WITH types AS (
       INSERT INTO routing_type_stats (type, agent, successes, trials)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[])
       ON CONFLICT (type, agent) DO UPDATE SET successes = routing_type_stats.successes + EXCLUDED.successes,
         trials = routing_type_stats.trials + EXCLUDED.trials
     ), terms AS (
       INSERT INTO routing_term_stats (type, term, agent, successes, trials, w_successes, w_trials)
       SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::float8[], $11::float8[])
       ON CONFLICT (type, term, agent) DO UPDATE SET successes = routing_term_stats.successes + EXCLUDED.successes,
         trials = routing_term_stats.trials + EXCLUDED.trials,
         w_successes = routing_term_stats.w_successes + EXCLUDED.w_successes,
         w_trials = routing_term_stats.w_trials + EXCLUDED.w_trials
     ), docs AS (
       INSERT INTO routing_term_docs (type, term, docs)
       SELECT * FROM unnest($12::text[], $13::text[], $14::int[])
       ON CONFLICT (type, term) DO UPDATE SET docs = routing_term_docs.docs + EXCLUDED.docs
       RETURNING type, (xmax = 0) AS inserted
     )
     INSERT INTO routing_model (id, samples, vocabulary, version, trained_at)
     SELECT 1, $15, count(*) FILTER (WHERE inserted AND type = ''), nextval('routing_model_version'), now() FROM docs
     ON CONFLICT (id) DO UPDATE SET samples = routing_model.samples + EXCLUDED.samples,
       vocabulary = routing_model.vocabulary + EXCLUDED.vocabulary, version = EXCLUDED.version, trained_at = now()`,
    [
      ts.map((r) => r.type),
      ts.map((r) => r.agent),
      ts.map((r) => r.successes),
      ts.map((r) => r.trials),
      st.map((r) => r.type),
      st.map((r) => r.term),
      st.map((r) => r.agent),
      st.map((r) => r.successes),
      st.map((r) => r.trials),
      st.map((r) => r.ws),
      st.map((r) => r.w),
      td.map((r) => r.type),
      td.map((r) => r.term),
      td.map((r) => r.docs),
      rows.length,
    ],
  );
  return rows.length;
}

/**
 * Folds every sample not yet learnt into the counts, in batches, each in its own transaction with the samples'
 * marks, so a sample is counted exactly once however many instances train at once and whenever its own
 * transaction commits. The cost of a batch depends on the batch, not on the size of the model.
 */
export async function trainPending(db: Db, batchSize = 5000): Promise<number> {
  const pool = poolOf(db);
  let learnt = 0;
  for (;;) {
    const client = await pool.connect();
    let n: number;
    try {
      await client.query("BEGIN");
      n = await trainBatch(client, batchSize);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    learnt += n;
    if (n < batchSize) return learnt;
  }
}

interface TrainerState {
  running: Promise<number> | null;
  queued: Promise<number> | null;
}
const trainers = new WeakMap<object, TrainerState>();

/**
 * Resolves once a training run that started after this call has finished — so a sample committed before the
 * call is in the model — while coalescing concurrent callers on this instance into one run (one transaction,
 * one commit) instead of one each. At most one run is in progress and one queued behind it.
 */
export function trainSoon(db: Db): Promise<number> {
  const pool = poolOf(db);
  let s = trainers.get(pool);
  if (!s) trainers.set(pool, (s = { running: null, queued: null }));
  const state = s;
  const start = () => {
    const run = trainPending(db).finally(() => {
      if (state.running === run) state.running = null;
    });
    state.running = run;
    return run;
  };
  if (state.queued) return state.queued;
  if (!state.running) return start();
  // The run in progress may have read the samples before ours committed: ours goes in the next one.
  const queued = state.running
    .catch(() => 0)
    .then(() => {
      state.queued = null;
      return start();
    });
  state.queued = queued;
  return queued;
}

/** Forgets everything learnt and every sample (used by the evaluation to draw a learning curve). */
export async function resetModel(db: Db): Promise<void> {
  await db.$transaction([
    db.$queryRaw`SELECT pg_advisory_xact_lock(${TRAIN_LOCK})::text`,
    db.routingTermStat.deleteMany(),
    db.routingTermDoc.deleteMany(),
    db.routingTypeStat.deleteMany(),
    db.routingSample.deleteMany(),
    db.$executeRaw`INSERT INTO routing_model (id, samples, vocabulary, version, trained_at)
      VALUES (1, 0, 0, nextval('routing_model_version'), NULL)
      ON CONFLICT (id) DO UPDATE SET samples = 0, vocabulary = 0, version = EXCLUDED.version, trained_at = NULL`,
  ]);
}
