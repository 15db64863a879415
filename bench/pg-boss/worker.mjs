// The bench's pg-boss side, run by bench/queue.ts under Node 22 (pg-boss 12 needs it): one JSON command per
// line on stdin, one JSON answer per line on stdout.
//   {"cmd":"top","level":N,"budget":B}         tops the queue's created jobs up to N + B (completed ones deleted,
//                                              as pg-boss's maintenance would)
//   {"cmd":"run","workers":W,"seconds":S}      W workers fetch one job and complete it until S seconds pass
//   {"cmd":"stop"}
import { createInterface } from "node:readline";
import { PgBoss } from "pg-boss";

const url = process.argv[2];
const QUEUE = "bench";
const boss = new PgBoss({
  connectionString: url,
  max: Number(process.env.POOL ?? 16),
  schedule: false,
  supervise: false,
});
boss.on("error", () => {});
await boss.start();
await boss.createQueue(QUEUE);
const db = boss.getDb();

async function top({ level, budget }) {
  await db.executeSql(`DELETE FROM pgboss.job WHERE name = $1 AND state = 'completed'`, [QUEUE]);
  const { rows } = await db.executeSql(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'created'`,
    [QUEUE],
  );
  for (let missing = level + budget - rows[0].n; missing > 0; missing -= 5000) {
    await boss.insert(
      QUEUE,
      Array.from({ length: Math.min(missing, 5000) }, (_, i) => ({ data: { i } })),
    );
  }
  await db.executeSql("ANALYZE pgboss.job");
  const plan = await db.executeSql(
    `EXPLAIN SELECT id FROM pgboss.job WHERE name = $1 AND state < 'active' AND start_after < now() AND NOT blocked
     ORDER BY priority DESC, created_on LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [QUEUE],
  );
  return { plan: plan.rows.map((r) => r["QUERY PLAN"]).join("\n") };
}

async function run({ workers, seconds }) {
  const deadline = Date.now() + seconds * 1000;
  const latencies = [];
  let cycles = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < deadline) {
        const t0 = performance.now();
        const [job] = await boss.fetch(QUEUE);
        if (!job) return;
        await boss.complete(QUEUE, job.id);
        cycles++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { cycles, elapsed: (performance.now() - started) / 1000, latencies };
}

const answer = (value) => process.stdout.write(JSON.stringify(value) + "\n");
answer({ ready: true, version: (await import("pg-boss/package.json", { with: { type: "json" } })).default.version });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    if (command.cmd === "top") answer(await top(command));
    else if (command.cmd === "run") answer(await run(command));
    else if (command.cmd === "stop") break;
  } catch (error) {
    answer({ error: String(error?.stack ?? error) });
  }
}
await boss.stop({ graceful: false, wait: false }).catch(() => {});
process.exit(0);
