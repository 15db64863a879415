// Change events from PostgreSQL: every change is an audit event, and each app instance reads new audit events on
// one dedicated connection every POLL_MS, so a change made through any instance reaches all of them.
//
// Not a NOTIFY per change: a NOTIFY takes one database-wide lock at commit, which serialized every claim and
// completion and halved the queue's rate (bench/queue.ts). Not "ids above the last one seen": an id is handed out
// before its transaction commits, so a late commit would be skipped for good. Each row carries the id of the
// transaction that wrote it (xid8). A read takes the oldest still-running transaction id (the horizon) and every
// visible row at or above the previous horizon whose transaction it has not yet delivered: transactions below a
// horizon have all ended, and a transaction's rows become visible all at once, so nothing is skipped or repeated.
// NOTIFY stays as a wake-up for the rare changes that must spread at once (agents, tokens: a revocation).
import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl, GuardedClient } from "@/lib/db/client";
import { setting } from "@/lib/config/settings";

export const CHANNEL = "fed_events";
/** How often an instance looks for new events. */
export const POLL_MS = setting("FED_EVENTS_POLL_MS");
/** A resume that would replay more than this asks the client to refetch instead. */
export const MAX_REPLAY = 1000;

export interface ChangeEvent {
  /** The audit event's id: a stream's event id. */
  seq: number;
  /** The action, e.g. `task.completed`. */
  type: string;
  /** The subject, e.g. `task:task-20260205-191704-0001`. */
  subject: string;
  at: string;
}

interface Row {
  horizon: string;
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

/** One statement, so the horizon and the rows read come from the same snapshot. */
const READ = `
  WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
  SELECT h.x::text AS horizon, e.id::text, e.xid::text, e.action, e.subject, e.at
  FROM h LEFT JOIN LATERAL (
    SELECT id, xid, action, subject, at FROM audit_events
    WHERE $1::xid8 IS NOT NULL AND xid >= $1::xid8 AND xid <> ALL($2::xid8[])
    ORDER BY id
  ) e ON true`;

/**
 * What a stream that last saw event `seq` missed: later ids, and earlier ids of other transactions still running
 * then (a late commit). Not the earlier rows of `seq`'s own transaction: they were delivered with it, before it.
 */
const MISSED = `
  WITH e AS (SELECT id, xid, horizon FROM audit_events WHERE id = $1)
  SELECT * FROM (
    SELECT a.id::text, a.xid::text, a.action, a.subject, a.at FROM audit_events a, e WHERE a.id > e.id
    UNION ALL
    SELECT a.id::text, a.xid::text, a.action, a.subject, a.at FROM audit_events a, e
    WHERE a.xid >= e.horizon AND a.xid <> e.xid AND a.id < e.id
  ) m ORDER BY m.id::bigint LIMIT $2`;

class Bus extends EventEmitter {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private starting: Promise<void> | null = null;
  /** Every transaction below this has ended and been delivered. */
  private horizon: string | null = null;
  /** Transactions at or above the horizon whose rows have been delivered. */
  private delivered = new Set<string>();
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
    client.on("notification", () => this.wake());
    await client.connect();
    if (this.stopped) {
      await client.end().catch(() => {});
      throw new Error("stopped");
    }
    await client.query(`LISTEN ${CHANNEL}`);
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
      const { rows } = await client.query<Row>(READ, [this.horizon, [...this.delivered]]);
      const horizon = rows[0]!.horizon;
      const news = rows.filter((r) => r.id !== null);
      for (const r of news) this.delivered.add(r.xid!);
      this.horizon = horizon;
      const h = BigInt(horizon);
      for (const x of this.delivered) if (BigInt(x) < h) this.delivered.delete(x);
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

  /**
   * The events a stream missed since event `seq` (its Last-Event-ID), from the database, so any instance can
   * resume any stream, or null when `seq` is unknown or too much was missed. Exactly what was missed when commits
   * came in id order; when transactions committed out of id order around `seq`, an event the stream already had may
   * come again (at least once, never lost).
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
    this.horizon = null;
    this.delivered.clear();
    this.connected = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
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
