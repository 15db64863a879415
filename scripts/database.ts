// The database a script works on: DATABASE_URL when set, else the embedded one under FED_DATA_DIR.
import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";

export function dataDir(): string {
  return path.resolve(process.env.FED_DATA_DIR ?? ".data");
}

export async function openDatabase(): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedDatabase({ dataDir: path.join(dataDir(), "pgdata") });
  return { url: embedded.url, embedded };
}

export async function withDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const { url, embedded } = await openDatabase();
  try {
    await fn(url);
  } finally {
    await embedded?.stop();
  }
}
