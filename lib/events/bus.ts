// Change events from PostgreSQL: every change is an audit event, and each app instance reads new audit events on
// one dedicated connection every POLL_MS, so a change made through any instance reaches all of them.
//
// Not a NOTIFY per change: a NOTIFY takes one database-wide lock at commit, which serialized every claim and
// completion and halved the queue's rate (bench/queue.ts). Not "ids above the last one seen": an id is handed out
// before its transaction commits, so a late commit would be skipped for good. Each row carries the id of the
// transaction that wrote it (xid8). A read takes its snapshot's xmax (the first transaction id not yet handed out)
// and running list (xip) and returns the visible rows of transactions that were not yet finished at the previous
// read: at or above the previous xmax, or in the previous running list. Every other transaction had finished by
// the previous read, whose snapshot already showed its rows; a transaction's rows become visible all at once. So
// nothing is skipped or repeated, and what a read scans and remembers is bounded by what is new and what is
// running — a transaction left open for hours is one entry of the running list, not a horizon that holds every
// read back to the rows since it began (the reader used to scan, and remember, everything since).
// NOTIFY stays as a wake-up for the rare changes that must spread at once (agents, tokens: a revocation).
import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl, GuardedClient } from "@/lib/db/client";
import { setting } from "@/lib/config/settings";

export const CHANNEL = "fed_events";
/**
 * A task's log grew (POST /tasks/{id}/log; the payload is the task's id): streams get a `task.log` event. Not an
 * audit event — an agent appends every second while it works — so it has no event id and is not replayed on resume
 * (a client reads the log itself). NOTIFY carries it to every instance.
 */
export const LOG_CHANNEL = "fed_task_log";
/** How often an instance looks for new events. */
export const POLL_MS = setting("FED_EVENTS_POLL_MS");
/** A resume that would replay more than this asks the client to refetch instead. */
export const MAX_REPLAY = 1000;

export interface ChangeEvent {
  /** The audit event's id: a stream's event id. 0 for a `task.log` event, which is not in the audit log. */
  seq: number;
  /** The action, e.g. `task.completed`. */
  type: string;
  /** The subject, e.g. `task:task-20260205-191704-0001`. */
  subject: string;
  at: string;
}

interface Row {
  xmax: string;
  xip: string[];
  id: string | null;
  xid: string | null;
  action: string;
  subject: string;
  at: Date;
}

const toEvent = (r: Row): ChangeEvent => ({
  seq: Number(r.id),
  type: r.action,
  subject: r.subject,
  at: r.at.toISOString(),
});

/**
 * One statement, so the snapshot and the rows read are the same snapshot's. Rows whose xid is at or beyond the
 * snapshot's xmax cannot be new: they came from another cluster (a pg_dump restored here, xids ahead of this
 * cluster's), and are history, never re-sent as changes on every read.
 */
const READ = `
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  SELECT pg_snapshot_xmax(s.snap)::text AS xmax, ARRAY(SELECT pg_snapshot_xip(s.snap))::text[] AS xip,
         e.id::text, e.xid::text, e.action, e.subject, e.at
  FROM s LEFT JOIN LATERAL (
    SELECT id, xid, action, subject, at FROM audit_events
    WHERE $1::xid8 IS NOT NULL AND (xid >= $1::xid8 OR xid = ANY($2::xid8[])) AND xid < pg_snapshot_xmax(s.snap)
    ORDER BY id
  ) e ON true`;

/**
 * Rows whose xid this cluster has not handed out yet came from another one: a pg_dump restored here (also the move off
 * the embedded database) keeps the old cluster's xids, ahead of this one's. Left so, each would be sent as new the
 * moment this cluster's counter passed it, and resumes would compare xids of two clusters. They are history: xid and
 * horizon become 1 (before anything here), the snapshot this one's. Run as the reader starts and once a minute (a
 * restore into a running federation). Only those rows: a row written here by a committed transaction has a smaller
 * xid than the statement's snapshot's xmax.
 */
const REBASE = `
  WITH s AS (SELECT pg_current_snapshot() AS snap)
  UPDATE audit_events a SET xid = '1'::xid8, horizon = '1'::xid8, snap = s.snap FROM s
  WHERE a.xid >= pg_snapshot_xmax(s.snap)`;

/** How often the reader looks for restored rows to rebase. */
const REBASE_EVERY_MS = 60_000;

/** Rebases audit events restored from another cluster (see REBASE); returns how many, and says so in the log. */
export async function rebaseRestoredEvents(q: {
  query(sql: string): Promise<{ rowCount: number | null }>;
}): Promise<number> {
  const n = (await q.query(REBASE)).rowCount ?? 0;
  if (n)
    console.warn(
      `[events] ${n} audit event(s) carried transaction ids from another cluster (a restored dump): rebased, so streams treat them as history, not as new changes.`,
    );
  return n;
}

/** The oldest transaction with an id still open on this database: who holds back vacuum and resumes. */
const HOLDER = `
  SELECT pid, application_name AS application, extract(epoch FROM now() - xact_start)::float8 AS seconds
  FROM pg_stat_activity
  WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
  ORDER BY xact_start LIMIT 1`;

export interface HorizonHolder {
  pid: number;
  application: string;
  seconds: number;
}

/** A transaction open longer than this is named in the log, at most once a minute. */
const HELD_WARN_AFTER_MS = 60_000;

/**
 * What a stream that last saw event `seq` missed: later ids, and earlier ids of transactions that had not committed
 * when `seq` was written — running then, or begun since — by its writer's snapshot (a late commit). Not the earlier
 * rows of `seq`'s own transaction: they were delivered with it, before it. Rows written before the log kept the
 * writer's snapshot fall back to every transaction since the oldest then running (the horizon: the whole server's,
 * so more than was missed). `a.xid >= horizon` bounds the scan to the (xid, id) index either way.
 */
const MISSED = `
  WITH e AS (SELECT id, xid, horizon, snap FROM audit_events WHERE id = $1)
  SELECT * FROM (
    SELECT a.id::text, a.xid::text, a.action, a.subject, a.at FROM audit_events a, e WHERE a.id > e.id
    UNION ALL
    SELECT a.id::text, a.xid::text, a.action, a.subject, a.at FROM audit_events a, e
    WHERE a.xid >= e.horizon AND a.xid <> e.xid AND a.id < e.id
      AND (e.snap IS NULL OR NOT pg_visible_in_snapshot(a.xid, e.snap))
  ) m ORDER BY m.id::bigint LIMIT $2`;

export class Bus extends EventEmitter {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private starting: Promise<void> | null = null;
  /** The previous read's xmax: transactions from it on had not begun then. */
  private xmax: string | null = null;
  /** The previous read's running transactions: their rows, once committed, are still to be delivered. */
  private running: string[] = [];
  /** When the reader last looked for (and named) a transaction holding the horizon. */
  private warnedAt = 0;
  /** When the reader last looked for restored rows to rebase. */
  private rebasedAt = 0;
  /** How long a transaction may stay open before the log names it, and how often it may say so. */
  heldWarnAfterMs = HELD_WARN_AFTER_MS;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private again = false;
  private stopped = false;
  /** True while reading works; events are delayed (never lost) while it does not. */
  connected = false;

  constructor(private readonly url: () => string) {
    super();
    this.setMaxListeners(0);
  }

  /** Starts reading (once per process); resolves when the first read has been tried. */
  start(): Promise<void> {
    this.stopped = false;
    this.starting ??= this.tick();
    return this.starting;
  }

  /** The reader's one connection; callers that ask while it is being opened (a poll and a resume) share it. */
  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new GuardedClient({
      connectionString: this.url(),
      connectionTimeoutMillis: 5_000,
      query_timeout: 5_000,
    });
    client.on("error", () => {});
    client.on("notification", (n) => {
      if (n.channel === LOG_CHANNEL) {
        if (n.payload)
          this.emit("event", { seq: 0, type: "task.log", subject: `task:${n.payload}`, at: new Date().toISOString() });
      } else this.wake();
    });
    await client.connect();
    if (this.stopped) {
      await client.end().catch(() => {});
      throw new Error("stopped");
    }
    await client.query(`LISTEN ${CHANNEL}; LISTEN ${LOG_CHANNEL}`);
    this.client = client;
    return client;
  }

  /** Reads now (a NOTIFY'd change), or right after the read in progress. */
  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    void this.tick();
  }

  private async tick(): Promise<void> {
    this.reading = true;
    this.again = false;
    try {
      const client = await this.connection();
      if (Date.now() - this.rebasedAt >= REBASE_EVERY_MS) {
        await rebaseRestoredEvents(client);
        this.rebasedAt = Date.now();
      }
      const { rows } = await client.query<Row>(READ, [this.xmax, this.running]);
      const news = rows.filter((r) => r.id !== null);
      this.xmax = rows[0]!.xmax;
      this.running = rows[0]!.xip;
      if (this.running.length && Date.now() - this.warnedAt >= this.heldWarnAfterMs) await this.warnIfHeld(client);
      if (!this.connected) {
        this.connected = true;
        this.emit("connected");
      }
      for (const r of news) this.emit("event", toEvent(r));
    } catch {
      const client = this.client;
      this.client = null;
      client?.end().catch(() => {});
      if (this.connected) {
        this.connected = false;
        this.emit("disconnected");
      }
    } finally {
      this.reading = false;
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.again ? 0 : this.connected ? POLL_MS : 1_000);
    this.timer.unref();
  }

  /** Transactions the reader keeps track of between reads (those running at the last read): bounded, never a log. */
  get tracked(): number {
    return this.running.length;
  }

  /** Names, once a minute at most (`heldWarnAfterMs`), a transaction open longer than that. */
  private async warnIfHeld(client: pg.Client): Promise<void> {
    this.warnedAt = Date.now(); // looked at most once a minute, whether or not someone holds it
    const holder = await oldestOpenTransaction(client);
    if (!holder || holder.seconds * 1000 < this.heldWarnAfterMs) {
      this.warnedAt -= Math.max(0, this.heldWarnAfterMs - 5_000); // nobody yet: look again in 5 s
      return;
    }
    console.warn(
      `[events] a transaction open for ${Math.round(holder.seconds)} s holds the database's horizon: pid ${holder.pid}, application "${holder.application}". Stream resumes from before it replay more, and vacuum waits; end it if it is stuck.`,
    );
  }

  /**
   * The events a stream missed since event `seq` (its Last-Event-ID), from the database, so any instance can
   * resume any stream, or null when `seq` is unknown or too much was missed. Exactly what was missed, except around
   * transactions that committed out of id order: an earlier id whose transaction was still open when `seq` was
   * written but committed before `seq`'s own did reached the stream before `seq`, and comes again (at least once,
   * never lost). The writer's snapshot cannot tell when that transaction committed.
   */
  async after(seq: number): Promise<ChangeEvent[] | null> {
    if (!Number.isSafeInteger(seq) || seq < 1) return null;
    const client = await this.connection();
    const { rows } = await client.query<Row>(MISSED, [seq, MAX_REPLAY + 1]);
    if (rows.length > MAX_REPLAY) return null;
    if (rows.length === 0) {
      const known = await client.query(`SELECT 1 FROM audit_events WHERE id = $1`, [seq]);
      if (!known.rows[0]) return null;
    }
    return rows.map(toEvent);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.starting?.catch(() => {});
    this.starting = null;
    this.xmax = null;
    this.running = [];
    this.rebasedAt = 0;
    this.connected = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}

/** The oldest transaction with an id open on the database (another backend's), or null. */
export async function oldestOpenTransaction(client: pg.Client): Promise<HorizonHolder | null> {
  const { rows } = await client.query<HorizonHolder>(HOLDER);
  return rows[0] ?? null;
}

const g = globalThis as unknown as { federationBus?: Bus };

/** This process's bus, reading once started (`await changes().start()`). */
export function changes(): Bus {
  g.federationBus ??= new Bus(databaseUrl);
  return g.federationBus;
}

/** Waits for the next event that `match` accepts, or the timeout; the listener is gone either way. */
export function nextChange(
  match: (e: ChangeEvent) => boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ChangeEvent | null> {
  const bus = changes();
  return new Promise((resolve) => {
    const done = (value: ChangeEvent | null) => {
      clearTimeout(timer);
      bus.off("event", onEvent);
      signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const onEvent = (e: ChangeEvent) => match(e) && done(e);
    const onAbort = () => done(null);
    const timer = setTimeout(() => done(null), timeoutMs);
    bus.on("event", onEvent);
    signal?.addEventListener("abort", onAbort);
  });
}
