// Change events from PostgreSQL: every audit event is NOTIFY'd at commit (a trigger on audit_events), and each
// app instance LISTENs on one dedicated connection, so a change made through any instance reaches all of them.
// A short ring buffer lets a stream resume from Last-Event-ID.
import { EventEmitter } from "node:events";
import pg from "pg";
import { databaseUrl } from "@/lib/db/client";

export const CHANNEL = "fed_events";
const BUFFER = 2000;

export interface ChangeEvent {
  /** The audit event's id: a stream's event id. Ids arrive in commit order, which is not always numeric order. */
  seq: number;
  /** The action, e.g. `task.completed`. */
  type: string;
  /** The subject, e.g. `task:task-20260205-191704-0001`. */
  subject: string;
  at: string;
}

class Bus extends EventEmitter {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly recent: ChangeEvent[] = [];
  private retry = 250;
  private stopped = false;
  /** True while the LISTEN connection is up; events can be missed while it is not. */
  connected = false;

  constructor(private readonly url: () => string) {
    super();
    this.setMaxListeners(0);
  }

  start(): Promise<void> {
    this.stopped = false;
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url(), connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on("notification", (n) => n.payload && this.receive(n.payload));
    client.on("error", () => this.reconnect(client));
    client.on("end", () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      this.connected = true;
      this.retry = 250;
      this.emit("connected");
    } catch {
      this.reconnect(client);
    }
  }

  private reconnect(client: pg.Client): void {
    if (client !== this.client && this.client !== null) return;
    this.client = null;
    if (this.connected) this.emit("disconnected");
    this.connected = false;
    client.end().catch(() => {});
    if (this.stopped) return;
    const wait = this.retry;
    this.retry = Math.min(this.retry * 2, 5_000);
    setTimeout(() => {
      this.connecting = this.stopped ? null : this.connect();
    }, wait).unref();
  }

  private receive(payload: string): void {
    let event: ChangeEvent;
    try {
      event = JSON.parse(payload) as ChangeEvent;
    } catch {
      return;
    }
    this.recent.push(event);
    if (this.recent.length > BUFFER) this.recent.splice(0, this.recent.length - BUFFER);
    this.emit("event", event);
  }

  /** The events after `seq` in arrival order, or null when `seq` has left the buffer (the caller must resync). */
  after(seq: number): ChangeEvent[] | null {
    const index = this.recent.findIndex((e) => e.seq === seq);
    return index < 0 ? null : this.recent.slice(index + 1);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    this.connecting = null;
    this.connected = false;
    await client?.end().catch(() => {});
  }
}

const g = globalThis as unknown as { federationBus?: Bus };

/** This process's bus, listening once started (`await changes().start()`). */
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
