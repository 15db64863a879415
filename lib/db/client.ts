// The Prisma client over node-postgres, one per process, configured from DATABASE_URL. The same pg pool
// also serves the few hot statements (token lookup, claim, completion) that skip Prisma's query layer.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

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

export function createPrisma(url = databaseUrl(), poolSize = Number(process.env.FED_DB_POOL_SIZE ?? 10)): PrismaClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Without it a request waits forever for a pooled connection when the pool is exhausted: past it, the
    // request is answered 503 with Retry-After (FED_DB_POOL_TIMEOUT_MS).
    connectionTimeoutMillis: Number(process.env.FED_DB_POOL_TIMEOUT_MS ?? 10_000),
    idleTimeoutMillis: 30_000,
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
  const pool = poolOf(db) as pg.Pool & { options: { application_name?: string; connectionString?: string } };
  const embedded =
    pool.options.application_name === EMBEDDED_APPLICATION_NAME ||
    (pool.options.connectionString ?? "").includes(`application_name=${EMBEDDED_APPLICATION_NAME}`);
  return embedded ? { text, values } : { name, text, values };
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
