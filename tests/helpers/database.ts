// A fresh, migrated database per test file: a new database on TEST_DATABASE_URL's server, or an in-memory PGlite.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { createPrisma, type Db } from "@/lib/db/client";

export interface TestDatabase {
  url: string;
  /** Creates a fresh empty database (not migrated) on the same server, for migration tests. */
  fresh(): Promise<string>;
  drop(): Promise<void>;
}

// Read once, at import: migratedDatabase() later installs its own database as DATABASE_URL, which is not a server
// to create more databases on.
const SERVER = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** Whether the tests run on a real PostgreSQL server (CI), not the embedded PGlite. */
export const onRealPostgres = Boolean(SERVER);

function serverUrl(): string | undefined {
  return SERVER;
}

async function createDatabaseOn(server: string): Promise<string> {
  const name = `fed_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabaseOn(server: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** An empty database, not migrated. */
export async function emptyDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  if (server) {
    const created: string[] = [];
    const url = await createDatabaseOn(server);
    created.push(url);
    return {
      url,
      async fresh() {
        const extra = await createDatabaseOn(server);
        created.push(extra);
        return extra;
      },
      async drop() {
        for (const u of created) await dropDatabaseOn(server, u);
      },
    };
  }
  const embedded = await startEmbeddedDatabase();
  const extras: { stop(): Promise<void> }[] = [];
  return {
    url: embedded.url,
    async fresh() {
      const e = await startEmbeddedDatabase();
      extras.push(e);
      return e.url;
    },
    async drop() {
      for (const e of extras) await e.stop();
      await embedded.stop();
    },
  };
}

/**
 * A migrated database. By default its URL is also installed as DATABASE_URL, so route handlers use it;
 * `{ install: false }` gives a second, private database for tests that call lib functions directly.
 */
export async function migratedDatabase(options: { install?: boolean } = {}): Promise<TestDatabase & { prisma: Db }> {
  const install = options.install ?? true;
  const db = await emptyDatabase();
  await migrate(db.url);
  if (install) process.env.DATABASE_URL = db.url;
  const prisma = createPrisma(db.url, 5);
  return {
    ...db,
    prisma,
    async drop() {
      await prisma.$disconnect();
      if (install) {
        const { getPrisma } = await import("@/lib/db/client");
        await getPrisma()
          .$disconnect()
          .catch(() => {});
      }
      await db.drop();
    },
  };
}
