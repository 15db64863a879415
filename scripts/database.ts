// The database a script works on: DATABASE_URL when set, else the embedded one under FED_DATA_DIR, which
// only one process may open at a time (a lock file in the folder says who has it).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { setting } from "@/lib/config/settings";

export function dataDir(): string {
  return path.resolve(setting("FED_DATA_DIR") ?? ".data");
}

export class DataFolderInUse extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data folder for this process, or says who holds it. Returns the release function. */
export function lockDataFolder(dir: string): () => void {
  const file = path.join(dir, "federation.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(file, "utf8").trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new DataFolderInUse(
          `Another Federation (process ${pid}) is already running on the data folder ${dir}.\n` +
            "Stop it first (Ctrl-C in its terminal), or start this one with another FED_DATA_DIR, or point DATABASE_URL at a PostgreSQL server.",
        );
      }
      rmSync(file, { force: true }); // left behind by a process that is gone
    }
  }
  throw new DataFolderInUse(`Could not take the lock on the data folder ${dir}.`);
}

export async function openDatabase(): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  await mkdir(dataDir(), { recursive: true });
  const release = lockDataFolder(dataDir());
  try {
    const db = await startEmbeddedDatabase({ dataDir: path.join(dataDir(), "pgdata") });
    return {
      url: db.url,
      embedded: {
        ...db,
        async stop() {
          await db.stop();
          release();
        },
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export async function withDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  const { url, embedded } = await openDatabase();
  try {
    await fn(url);
  } finally {
    await embedded?.stop();
  }
}
