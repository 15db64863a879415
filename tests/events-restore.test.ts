// A restore breaks no stream (issue 22.7): after pg_dump + pg_restore into a fresh cluster (the documented backup,
// also the move off the embedded database), the audit log carries the old cluster's transaction ids, ahead of the new
// one's. The reader rebases them as it starts: none is sent as a change, not even once the new cluster's counter has
// passed them, new changes arrive once each, and a stream resumes from a restored event id. Two servers of the
// test's own (initdb): the source is made to run ahead, as a busy production database is against a fresh one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test } from "vitest";
import { migrate } from "@/lib/db/migrate";
import { Bus, POLL_MS, type ChangeEvent } from "@/lib/events/bus";
import { PrivatePostgres, privatePostgresAvailable } from "./helpers/private-postgres";

/** Uses up `n` transaction ids on a server, one short transaction each. */
async function burnXids(url: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < n; i++) await client.query("SELECT pg_current_xact_id()");
  } finally {
    await client.end();
  }
}

async function one<T>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

const until = async (ok: () => boolean, ms = 5_000) => {
  for (const stop = Date.now() + ms; !ok() && Date.now() < stop;) await new Promise((r) => setTimeout(r, 20));
};

test.runIf(privatePostgresAvailable)(
  "after pg_dump + pg_restore into a fresh cluster, a stream delivers new changes only (also once the new cluster's ids pass the restored ones), and a resume from a restored id works",
  async () => {
    const source = await PrivatePostgres.start();
    const target = await PrivatePostgres.start();
    const dumpDir = mkdtempSync(path.join(tmpdir(), "fed-dump-"));
    const bus = new Bus(() => target.urlOf("fed"));
    try {
      // The source: a federation whose transaction ids run 3 000 ahead of a fresh cluster's, with five changes.
      await burnXids(source.url, 3_000);
      await migrate(source.url);
      for (let i = 1; i <= 5; i++)
        await one(
          source.url,
          `INSERT INTO audit_events (actor, action, subject) VALUES ('test', 'task.created', 'task:restored-${i}')`,
        );
      const dump = path.join(dumpDir, "federation.dump");
      source.tool("pg_dump", ["-Fc", "-f", dump, "postgres"]);
      await one(target.url, "CREATE DATABASE fed");
      target.tool("pg_restore", ["--no-owner", "-d", "fed", dump]);
      const url = target.urlOf("fed");

      const restored = await one<{ ids: string[]; top: string }>(
        url,
        `SELECT array_agg(id::text ORDER BY id) AS ids, max(xid)::text AS top FROM audit_events WHERE subject LIKE 'task:restored-%'`,
      );
      const here = await one<{ xid: string }>(url, "SELECT pg_current_xact_id()::text AS xid");
      // What makes the case: the restored ids are ahead of the new cluster's.
      expect(BigInt(restored.top)).toBeGreaterThan(BigInt(here.xid) + 1_000n);

      const got: ChangeEvent[] = [];
      bus.on("event", (e: ChangeEvent) => got.push(e));
      await bus.start();
      expect(bus.connected).toBe(true);

      // The new cluster's counter passes every restored id: none of them is news.
      await burnXids(url, Number(BigInt(restored.top) - BigInt(here.xid)) + 50);
      await new Promise((r) => setTimeout(r, 5 * POLL_MS));
      expect(got).toEqual([]);

      // A change made now arrives, once.
      await one(
        url,
        `INSERT INTO audit_events (actor, action, subject) VALUES ('test', 'task.created', 'task:after-restore')`,
      );
      await until(() => got.length > 0);
      await new Promise((r) => setTimeout(r, 5 * POLL_MS));
      expect(got.map((e) => e.subject)).toEqual(["task:after-restore"]);

      // A stream that last saw the second restored event resumes: the three after it and the new one, in order.
      const missed = await bus.after(Number(restored.ids[1]));
      expect(missed?.map((e) => e.subject)).toEqual([
        "task:restored-3",
        "task:restored-4",
        "task:restored-5",
        "task:after-restore",
      ]);
    } finally {
      await bus.stop();
      source.dispose();
      target.dispose();
      rmSync(dumpDir, { recursive: true, force: true });
    }
  },
  180_000,
);
