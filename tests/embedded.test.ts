// The embedded database: pglite-socket's own queue interleaves connections' messages, so lib/db/embedded.ts
// replaces it. These tests fail if a pglite-socket release renames what is replaced, or if the
// replacement stops keeping each connection's batch together.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { expect, test } from "vitest";
import { PATCHED_QUEUE_METHODS, startEmbeddedDatabase } from "@/lib/db/embedded";

test("pglite-socket's server still has the queue that lib/db/embedded.ts replaces, and still calls every method of it", async () => {
  const db = await PGlite.create();
  try {
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0 }) as unknown as {
      queryQueue?: Record<string, unknown>;
    };
    for (const method of PATCHED_QUEUE_METHODS) expect(typeof server.queryQueue?.[method]).toBe("function");
    const dist = path.dirname(require.resolve("@electric-sql/pglite-socket"));
    const source = readdirSync(dist)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(path.join(dist, f), "utf8"))
      .join("\n");
    for (const method of PATCHED_QUEUE_METHODS) expect(source).toContain(`queryQueue.${method}(`);
  } finally {
    await db.close();
  }
});

test("16 connections running parameterised queries at once each get their own answers", async () => {
  const embedded = await startEmbeddedDatabase();
  const clients = await Promise.all(
    Array.from({ length: 16 }, async () => {
      const c = new pg.Client({ connectionString: embedded.url });
      await c.connect();
      return c;
    }),
  );
  try {
    const results = await Promise.all(
      clients.map(async (c, i) => {
        const seen: number[] = [];
        for (let j = 0; j < 30; j++) {
          const { rows } = await c.query<{ v: number }>("SELECT $1::int * 1000 + $2::int AS v", [i, j]);
          seen.push(rows[0]!.v);
        }
        return seen;
      }),
    );
    results.forEach((seen, i) => expect(seen).toEqual(Array.from({ length: 30 }, (_, j) => i * 1000 + j)));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
    await embedded.stop();
  }
});

test("LISTEN on one connection hears NOTIFY from another, in or out of a transaction; the notifier hears nothing it did not LISTEN to", async () => {
  const embedded = await startEmbeddedDatabase();
  const listener = new pg.Client({ connectionString: embedded.url });
  const notifier = new pg.Client({ connectionString: embedded.url });
  await Promise.all([listener.connect(), notifier.connect()]);
  try {
    const heard: string[] = [];
    const stray: string[] = [];
    listener.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    notifier.on("notification", (n) => stray.push(`${n.channel}:${n.payload}`));
    await listener.query("LISTEN fed_events");
    await notifier.query("SELECT pg_notify('fed_events', 'one')");
    await notifier.query("BEGIN");
    await notifier.query("SELECT pg_notify('fed_events', 'two')");
    await notifier.query("SELECT $1::int AS n", [1]);
    await notifier.query("COMMIT");
    await notifier.query("SELECT pg_notify('other_channel', 'nobody')");
    for (let i = 0; i < 50 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toEqual(["fed_events:one", "fed_events:two"]);
    expect(stray).toEqual([]);
    await listener.query("UNLISTEN fed_events");
    await notifier.query("SELECT pg_notify('fed_events', 'three')");
    await new Promise((r) => setTimeout(r, 100));
    expect(heard).toHaveLength(2);
    // The connections still work normally afterwards.
    expect((await listener.query("SELECT 41 + 1 AS n")).rows[0].n).toBe(42);
  } finally {
    await Promise.all([listener.end(), notifier.end()]);
    await embedded.stop();
  }
});

test("a large result cut into chunks mid-row, with 0x41 bytes next to multi-byte text, arrives whole (it once spun forever)", () => {
  // Its own process: the old parser looped forever on such a chunk, which would freeze this test runner too.
  const run = spawnSync(process.execPath, ["--import", "tsx", "tests/helpers/embedded-large-result.ts"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.signal, "the embedded server hung on the response").toBeNull();
  expect(run.stdout.trim()).toBe("30000 6015222");
}, 90_000);
