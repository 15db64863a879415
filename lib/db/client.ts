// The Prisma client over node-postgres, one per process, configured from DATABASE_URL. The same pg pool
// also serves the few hot statements (token lookup, claim, completion) that skip Prisma's query layer.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { isDatabaseUnavailable } from "@/lib/http/unavailable";
import { setting } from "@/lib/config/settings";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides an embedded database.");
  return url;
}

// A registered symbol, so every copy of this module (Next's bundle and the fast-lane server) finds the pool.
const POOL = Symbol.for("federation.pgPool");
type WithPool = { [POOL]?: pg.Pool };

/** How long one statement may take before the app gives up on it (FED_DB_QUERY_TIMEOUT_MS). */
export const queryTimeoutMs = () => setting("FED_DB_QUERY_TIMEOUT_MS");

const isReadTimeout = (error: unknown) => error instanceof Error && error.message === "Query read timeout";

// Whether the database answered lately, shared by every copy of this module (a registered symbol): the server
// answers a page that failed while the database was away with 503 and Retry-After, not 500.
const HEALTH = Symbol.for("federation.databaseHealth");
const health: { awaySince: number | null } = ((globalThis as Record<symbol, unknown>)[HEALTH] ??= {
  awaySince: null,
}) as { awaySince: number | null };

/** Since when the database has not answered (its connections refused, reset or silent), or null. */
export const databaseAwaySince = () => health.awaySince;

function noteFailure(error: unknown): void {
  if (isDatabaseUnavailable(error)) health.awaySince ??= Date.now();
}
function noteSuccess(): void {
  health.awaySince = null;
}

/**
 * A connection that gives up on a statement the server does not answer (a network partition: the socket open,
 * nothing arriving) and is then closed for good, so it never goes back to the pool to receive a stale answer.
 * `FED_DB_QUERY_TIMEOUT_MS=0` turns it off (bulk scripts that run long statements on purpose).
 */
export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    const base = typeof config === "string" ? { connectionString: config } : (config ?? {});
    const timeout = base.query_timeout ?? queryTimeoutMs();
    super({ keepAlive: true, ...base, query_timeout: timeout });
  }

  private destroyOnTimeout(error: unknown): void {
    if (error) noteFailure(error);
    else noteSuccess();
    if (isReadTimeout(error))
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  override connect(...args: any[]): any {
    const done = args.at(-1);
    if (typeof done === "function") {
      args[args.length - 1] = (error: unknown) => {
        if (error) noteFailure(error);
        done(error);
      };
      return (super.connect as any)(...args);
    }
    const result = (super.connect as any)(...args);
    if (result && typeof result.then === "function")
      return result.catch((error: unknown) => {
        noteFailure(error);
        throw error;
      });
    return result;
  }

  override query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === "function") {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        this.destroyOnTimeout(error);
        last(error, result);
      };
      return (super.query as any)(...args);
    }
    const result = (super.query as any)(...args);
    if (result && typeof result.then === "function")
      return result.then(
        (value: unknown) => {
          noteSuccess();
          return value;
        },
        (error: unknown) => {
          this.destroyOnTimeout(error);
          throw error;
        },
      );
    return result;
  }
}

export function createPrisma(url = databaseUrl(), poolSize = setting("FED_DB_POOL_SIZE")): PrismaClient {
  const pool = new pg.Pool({
    Client: GuardedClient,
    connectionString: url,
    max: poolSize,
    // Without it a request waits forever for a pooled connection when the pool is exhausted: past it, the
    // request is answered 503 with Retry-After (FED_DB_POOL_TIMEOUT_MS). It also bounds a connection attempt to a
    // server that accepts the socket and then says nothing.
    connectionTimeoutMillis: setting("FED_DB_POOL_TIMEOUT_MS"),
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  pool.on("error", (error) => console.error("idle database connection failed:", error.message));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  (prisma as unknown as WithPool)[POOL] = pool;
  // The adapter borrows the pool but never ends it: disconnecting must close its connections too, or they
  // linger (and fail noisily when their database is dropped or restarted).
  const disconnect = prisma.$disconnect.bind(prisma);
  let ended: Promise<void> | null = null;
  prisma.$disconnect = () => {
    if (globalForPrisma.federationPrisma === prisma) globalForPrisma.federationPrisma = undefined;
    ended ??= disconnect().then(() => pool.end());
    return ended;
  };
  return prisma;
}

/** The application name in the embedded database's URL (lib/db/embedded.ts), whose connections share one session. */
export const EMBEDDED_APPLICATION_NAME = "federation-embedded";

/**
 * A hot statement as a named prepared statement: each pooled connection parses and plans it once and reuses
 * the plan. Not on the embedded database, whose connections share one PGlite session (a name would clash).
 */
export function statement(db: Tx, name: string, text: string, values: unknown[]): pg.QueryConfig {
  return isEmbedded(db) ? { text, values } : { name, text, values };
}

/** Whether this handle is the embedded database's (one PGlite session; one app instance). */
export function isEmbedded(db: Tx): boolean {
  const pool = poolOf(db) as pg.Pool & { options: { application_name?: string; connectionString?: string } };
  return (
    pool.options.application_name === EMBEDDED_APPLICATION_NAME ||
    (pool.options.connectionString ?? "").includes(`application_name=${EMBEDDED_APPLICATION_NAME}`)
  );
}

/** The pg pool behind a client made by createPrisma: for single hot statements, never inside a Prisma transaction. */
export function poolOf(db: Tx): pg.Pool {
  const pool = (db as unknown as WithPool)[POOL];
  if (!pool) throw new Error("This database handle has no pool of its own (is it a transaction?).");
  return pool;
}

const globalForPrisma = globalThis as unknown as { federationPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  globalForPrisma.federationPrisma ??= createPrisma();
  return globalForPrisma.federationPrisma;
}
