// Embedded PostgreSQL: PGlite served over the Postgres wire protocol on a free loopback port.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdir } from "node:fs/promises";
import { EMBEDDED_APPLICATION_NAME } from "./client";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts PGlite with its data in `dataDir` (or in memory when omitted) and serves it on 127.0.0.1. */
export async function startEmbeddedDatabase(
  options: { dataDir?: string; port?: number; maxConnections?: number } = {},
): Promise<EmbeddedDatabase> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 64,
  });
  // pglite-socket's own queue interleaves the messages of different connections one by one, so two
  // clients' extended-protocol batches (Parse/Bind/Execute/Sync) clobber each other's unnamed statement.
  const patched = server as unknown as { queryQueue?: Record<string, unknown> };
  const missing = PATCHED_QUEUE_METHODS.filter((m) => typeof patched.queryQueue?.[m] !== "function");
  if (missing.length) {
    throw new Error(
      `@electric-sql/pglite-socket changed: its server has no queryQueue with ${missing.join(", ")}; lib/db/embedded.ts must be updated.`,
    );
  }
  patched.queryQueue = new BatchingQueryQueue(db) as unknown as Record<string, unknown>;
  await server.start();
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  const port = typeof address === "object" && address ? address.port : Number(options.port);
  if (!port) throw new Error("The embedded database did not report its port.");
  let stopped = false;
  return {
    // The application name marks the URL as the embedded database's (lib/db/client.ts: no named statements).
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}

/** What pglite-socket's server calls on its queue, which BatchingQueryQueue replaces. */
export const PATCHED_QUEUE_METHODS = [
  "enqueue",
  "clearQueueForHandler",
  "clearTransactionIfNeeded",
  "getQueueLength",
] as const;

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

const NOTIFICATION = 0x41; // 'A'
const LISTEN = /^\s*(UN)?LISTEN\s+("([^"]+)"|[A-Za-z_][\w$]*|\*)\s*;?\s*$/i;

/**
 * Serves one connection's whole batch at a time, and routes LISTEN/NOTIFY between connections: PGlite has one
 * backend, so a notification comes out in the stream of whichever connection ran the NOTIFY (or COMMIT); it is
 * taken out there and written, whole, to the connections that LISTEN on its channel.
 */
export class BatchingQueryQueue {
  private queue: QueuedMessage[] = [];
  private owner: number | null = null;
  private pumping = false;
  /** channel → handlers listening on it */
  private readonly listeners = new Map<string, Set<number>>();
  /** each handler's way to write to its socket (the latest one it gave us) */
  private readonly writers = new Map<number, (data: Uint8Array) => void>();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    this.writers.set(handlerId, onData);
    if (message[0] === QUERY) this.trackListen(handlerId, message);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  private trackListen(handlerId: number, message: Uint8Array): void {
    const sql = Buffer.from(message.subarray(5)).toString("utf8").replace(/\0+$/, "");
    const match = LISTEN.exec(sql);
    if (!match) return;
    const channel = match[3] ?? match[2]!.toLowerCase();
    if (match[1]) {
      if (channel === "*") for (const set of this.listeners.values()) set.delete(handlerId);
      else this.listeners.get(channel)?.delete(handlerId);
    } else {
      if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
      this.listeners.get(channel)!.add(handlerId);
    }
  }

  /**
   * Takes the whole protocol messages out of a response's stream (`carry` holds the part of a message a chunk
   * ended in, so parsing stays aligned across chunks: a chunk may begin mid-row, and a byte 0x41 there is text,
   * not a notification): notifications go to their listeners, the other messages are returned, in order.
   */
  private routeNotifications(stream: { carry: Buffer }, raw: Uint8Array): Uint8Array {
    const buffer = stream.carry.length ? Buffer.concat([stream.carry, Buffer.from(raw)]) : Buffer.from(raw);
    const kept: Buffer[] = [];
    let offset = 0;
    while (offset + 5 <= buffer.length) {
      const length = buffer.readInt32BE(offset + 1);
      const end = offset + 1 + length;
      if (end > buffer.length) break; // the rest of this message comes in the next chunk
      const message = buffer.subarray(offset, end);
      if (message[0] === NOTIFICATION) {
        const channelEnd = message.indexOf(0, 9);
        const channel = message.subarray(9, channelEnd).toString("utf8");
        for (const handler of this.listeners.get(channel) ?? []) this.writers.get(handler)?.(new Uint8Array(message));
      } else {
        kept.push(message);
      }
      offset = end;
    }
    stream.carry = Buffer.from(buffer.subarray(offset));
    return kept.length === 1 ? new Uint8Array(kept[0]!) : new Uint8Array(Buffer.concat(kept));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const index = this.owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === this.owner);
        if (index < 0) break; // the owner's next message has not arrived yet
        const item = this.queue.splice(index, 1)[0]!;
        this.owner = item.handlerId;
        let bytes = 0;
        const stream = { carry: Buffer.alloc(0) };
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (raw: Uint8Array) => {
                const data = this.routeNotifications(stream, raw);
                bytes += data.length;
                if (data.length) item.onData(data);
              },
            }),
          );
          // A response always ends on a whole message; anything left is passed on as it is.
          if (stream.carry.length) {
            bytes += stream.carry.length;
            item.onData(new Uint8Array(stream.carry));
          }
          item.resolve(bytes);
        } catch (error) {
          item.reject(error);
        }
        const type = item.message[0];
        const batchEnds = type === SYNC || type === QUERY || type === TERMINATE || type === 0; // 0: startup packet
        if (batchEnds && !this.db.isInTransaction()) this.owner = null;
      }
    } finally {
      this.pumping = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.writers.delete(handlerId);
    for (const set of this.listeners.values()) set.delete(handlerId);
    this.queue = this.queue.filter((q) => {
      if (q.handlerId !== handlerId) return true;
      q.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.pump();
  }
}
