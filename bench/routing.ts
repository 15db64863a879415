// npm run bench:routing — trains the router only from outcomes-train.jsonl, then measures accuracy on
// tasks-dev.jsonl (bestAgent) for v1 and v2 from the task text alone, a learning curve, and route latency.
// Targets: v2 ≥ 0.92 accuracy; route p50 < 2 ms.
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { resetModel, trainPending } from "@/lib/routing/model";
import { routeTask } from "@/lib/routing/route-task";
import { ensureFirstRun } from "@/lib/system/first-run";
import { benchDatabase, percentile } from "./support";

interface Outcome {
  task: string;
  agent: string;
  success: boolean;
}
interface DevTask {
  task: string;
  type: string;
  bestAgent: string;
}

const dataDir = path.resolve("bench/data");
const shared = path.resolve("../shared/data/routing");
if (existsSync(shared)) {
  mkdirSync(dataDir, { recursive: true });
  cpSync(shared, dataDir, { recursive: true });
}
const readJsonl = <T>(file: string): T[] =>
  readFileSync(path.join(dataDir, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
const train = readJsonl<Outcome>("outcomes-train.jsonl");
const dev = readJsonl<DevTask>("tasks-dev.jsonl");

const db = await benchDatabase();
console.log(`Database: ${db.label}; ${train.length} training outcomes, ${dev.length} dev tasks`);
await migrate(db.url);
const prisma = createPrisma(db.url, 4);
await ensureFirstRun(prisma, { FED_ADMIN_PASSWORD: "bench-password-123" });

async function trainOn(outcomes: Outcome[]): Promise<void> {
  await resetModel(prisma);
  for (let i = 0; i < outcomes.length; i += 2000) {
    await prisma.routingSample.createMany({
      data: outcomes
        .slice(i, i + 2000)
        .map((o) => ({ text: o.task, agent: o.agent, success: o.success, source: "bench" })),
    });
  }
  await trainPending(prisma);
}

async function accuracy(version: "v1" | "v2"): Promise<number> {
  let right = 0;
  for (const t of dev) if ((await routeTask(prisma, { task: t.task, version })).agent === t.bestAgent) right++;
  return right / dev.length;
}

try {
  console.log("\nLearning curve (accuracy on tasks-dev.jsonl, text only):");
  console.log("  outcomes   v1 (rules)   v2 (hybrid)");
  const sizes = [100, 300, 1000, 3000, train.length];
  let v1 = 0;
  let v2 = 0;
  for (const n of sizes) {
    await trainOn(train.slice(0, n));
    v1 = await accuracy("v1");
    v2 = await accuracy("v2");
    console.log(`  ${String(n).padStart(8)}   ${v1.toFixed(4).padStart(10)}   ${v2.toFixed(4).padStart(11)}`);
  }

  const latencies: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t0 = performance.now();
    await routeTask(prisma, { task: dev[i % dev.length]!.task });
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  console.log(
    `\nWith ${train.length} samples: v1 accuracy ${v1.toFixed(4)}, v2 accuracy ${v2.toFixed(4)} (target ≥ 0.92 → ${v2 >= 0.92 ? "met" : "NOT met"})`,
  );
  console.log(
    `Route latency over 10 000 calls (in process, against the database): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target p50 < 2 ms → ${p50 < 2 ? "met" : "NOT met"})`,
  );
} finally {
  await prisma.$disconnect();
  await db.drop();
}
