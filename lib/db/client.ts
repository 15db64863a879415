// The Prisma client over node-postgres, one per process, configured from DATABASE_URL.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm start`, which provides an embedded database.");
  return url;
}

export function createPrisma(url = databaseUrl(), poolSize = Number(process.env.FED_DB_POOL_SIZE ?? 10)): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    // Without it a request waits forever for a pooled connection when the pool is exhausted.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

const globalForPrisma = globalThis as unknown as { federationPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  globalForPrisma.federationPrisma ??= createPrisma();
  return globalForPrisma.federationPrisma;
}
