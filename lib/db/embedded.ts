// Embedded PostgreSQL: PGlite served over the Postgres wire protocol on a free loopback port.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { mkdir } from "node:fs/promises";

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
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
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

/**
 * Serves one connection's whole batch at a time: once a connection starts a batch it keeps the database
 * until its Sync (or simple Query) has been answered and no transaction is open.
 */
export class BatchingQueryQueue {
  private queue: QueuedMessage[] = [];
  private owner: number | null = null;
  private pumping = false;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
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
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
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
