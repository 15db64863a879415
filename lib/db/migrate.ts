// Applies prisma/migrations/*/migration.sql in order and records them in Prisma's `_prisma_migrations`
// table, so `prisma migrate deploy` stays compatible wherever its engine is available.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// The key Prisma's own migrate uses, so this applier and `prisma migrate deploy` exclude each other too.
const ADVISORY_LOCK_KEY = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  skipped: string[];
}

export class MigrationError extends Error {}

export const defaultMigrationsDir = path.join(process.cwd(), "prisma", "migrations");

export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Runs `fn` while holding a session advisory lock, so concurrent starters take turns. */
export async function withAdvisoryLock<T>(connectionString: string, key: number, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [key]);
    }
  } finally {
    await client.end();
  }
}

/** Applies every pending migration, each in its own transaction, under an advisory lock. */
export async function migrate(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
      );
      const done = new Map(rows.map((r) => [r.migration_name, r]));
      const result: MigrateResult = { applied: [], skipped: [] };
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior) {
          if (!prior.finished_at) {
            throw new MigrationError(
              `Migration ${m.name} started but never finished. Inspect the database, then delete its row from _prisma_migrations.`,
            );
          }
          if (prior.checksum !== m.checksum) {
            throw new MigrationError(
              `Migration ${m.name} was edited after it was applied (checksum ${prior.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). Restore the original file and add a new migration instead.`,
            );
          }
          result.skipped.push(m.name);
          continue;
        }
        await client.query("BEGIN");
        try {
          // Re-checked inside the transaction: where advisory locks do not exclude (PGlite's single
          // shared session), the table lock still makes check-and-apply atomic.
          await client.query(`LOCK TABLE "_prisma_migrations" IN EXCLUSIVE MODE`);
          const again = await client.query(
            `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL`,
            [m.name],
          );
          if (again.rowCount) {
            await client.query("ROLLBACK");
            result.skipped.push(m.name);
            continue;
          }
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(error as Error).message}`);
        }
        log(`applied ${m.name}`);
        result.applied.push(m.name);
      }
      return result;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
