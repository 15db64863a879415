// npm run bench:routing — the router trained only from outcomes-train.jsonl, measured on tasks-dev.jsonl and on
// bench/hand-phrased.jsonl (113 tasks phrased the way people write, which the dev set never uses):
//   1. the ML settings chosen by cross-validation on the training outcomes (never on dev labels);
//   2. accuracy, text only and with the task's type, v1 (rules) against v2 (hybrid), and the ML part alone;
//   3. the learning curve: mean ± sd over 5 random subsamples per size;
//   4. POST /route latency in process at 10 000 samples;
//   5. training over HTTP: 10 000 POST /route/train at 16 in flight against the production build, and whether a
//      call's cost grows with the model.
// Targets: dev text-only ≥ 0.92 (v2), curve mean ≥ 0.80 at 3 000; hand-phrased ≥ 0.80 text-only, ≥ 0.90 with
// the type; route p50 < 2 ms; 10 000 samples folded in < 60 s.
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { DEFAULT_SETTINGS, type Sample } from "@/lib/routing/ml";
import { resetModel, trainPending } from "@/lib/routing/model";
import { modelInfo } from "@/lib/routing/state";
import { routeTask } from "@/lib/routing/route-task";
import { crossValidate, grid } from "@/lib/routing/tune";
import { ensureFirstRun } from "@/lib/system/first-run";
import { benchDatabase, ensureBuild, percentile, startApp } from "./support";
import { seededRandom } from "@/lib/random";
// Bulk statements here may run long on purpose: no per-statement timeout in this process (the app keeps its own).
process.env.FED_DB_QUERY_TIMEOUT_MS ??= "0";

interface Outcome {
  task: string;
  type: string;
  agent: string;
  success: boolean;
}
interface Labelled {
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
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
const train = readJsonl<Outcome>(path.join(dataDir, "outcomes-train.jsonl"));
const dev = readJsonl<Labelled>(path.join(dataDir, "tasks-dev.jsonl"));
const hand = readJsonl<Labelled>(path.resolve("bench/hand-phrased.jsonl"));
// Written for issue 22.6 by someone who had not seen the routing rules (only the dev set's labelling): the
// hand-phrased set arrived with rules matching its phrases, so its figure is a tuning score; this one is held out.
const heldOut = readJsonl<Labelled>(path.resolve("bench/held-out.jsonl"));
const samples: Sample[] = train.map((o) => ({ text: o.task, type: o.type, agent: o.agent, success: o.success }));
const ADMIN = "bench-admin-token-0123456789abcdef0123456789";

function subsample<T>(xs: T[], n: number, seed: number): T[] {
  const random = seededRandom(seed); // the same subsamples every run
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const f3 = (x: number) => x.toFixed(3);

const httpOnly = process.argv.includes("--http-only");
/** Steps 2 only: the accuracy table, without the search, the curve, the latency and the HTTP run. */
const accuracyOnly = process.argv.includes("--accuracy-only");

console.log(
  `Training outcomes: ${train.length}; dev tasks: ${dev.length}; hand-phrased tasks: ${hand.length}; held-out tasks: ${heldOut.length}\n`,
);
// 1. Settings by cross-validation on the training outcomes alone.
if (!httpOnly && !accuracyOnly) {
  console.log(
    "1. ML settings by 5-fold cross-validation on outcomes-train.jsonl (success of the chosen agent on held-out",
  );
  console.log(
    "   logged outcomes where it was the logged agent: unbiased, as the logged agents were assigned at random):",
  );
  const t0 = performance.now();
  const cv = crossValidate(
    samples,
    grid({ termPrior: [5, 10, 20, 50, 100], idfPower: [1, 2, 3], typePrior: [3, 10, 30] }),
  );
  cv.sort((a, b) => b.successRate - a.successRate);
  for (const r of cv.slice(0, 5))
    console.log(
      `   termPrior ${String(r.settings.termPrior).padStart(3)}  idfPower ${r.settings.idfPower}  typePrior ${String(r.settings.typePrior).padStart(2)}  →  ${f3(r.successRate)} (${r.matched} matched, log-loss ${r.logLoss.toFixed(4)})`,
    );
  const rankOfDefault = cv.findIndex(
    (r) =>
      r.settings.termPrior === DEFAULT_SETTINGS.termPrior &&
      r.settings.idfPower === DEFAULT_SETTINGS.idfPower &&
      r.settings.typePrior === DEFAULT_SETTINGS.typePrior,
  );
  console.log(
    `   the defaults (termPrior ${DEFAULT_SETTINGS.termPrior}, idfPower ${DEFAULT_SETTINGS.idfPower}, typePrior ${DEFAULT_SETTINGS.typePrior}) rank ${rankOfDefault + 1} of ${cv.length} at ${f3(cv[rankOfDefault]!.successRate)}; the best is ${f3(cv[0]!.successRate)} (one standard error ≈ ${f3(Math.sqrt((cv[0]!.successRate * (1 - cv[0]!.successRate)) / cv[0]!.matched))}); ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

const db = await benchDatabase();
console.log(`\nDatabase: ${db.label}`);
await migrate(db.url);
const prisma = createPrisma(db.url, 4);
await ensureFirstRun(prisma, { FED_ADMIN_PASSWORD: "bench-password-123" });

async function trainOn(outcomes: Outcome[]): Promise<number> {
  await resetModel(prisma);
  const started = performance.now();
  for (let i = 0; i < outcomes.length; i += 2000) {
    await prisma.routingSample.createMany({
      data: outcomes
        .slice(i, i + 2000)
        .map((o) => ({ text: o.task, type: o.type, agent: o.agent, success: o.success, source: "bench" })),
    });
  }
  await trainPending(prisma);
  return performance.now() - started;
}

interface Accuracy {
  v1: number;
  v2: number;
  ml: number;
}
async function accuracy(set: Labelled[], withType: boolean): Promise<Accuracy> {
  const right = { v1: 0, v2: 0, ml: 0 };
  for (const t of set) {
    const type = withType ? t.type : undefined;
    const v2 = await routeTask(prisma, { task: t.task, type, compare: true });
    if (v2.agent === t.bestAgent) right.v2++;
    if (v2.compare!.v1.agent === t.bestAgent) right.v1++;
    const ml = [...v2.candidates].sort((a, b) => b.mlScore - a.mlScore)[0]!;
    if (ml.agent === t.bestAgent) right.ml++;
  }
  return { v1: right.v1 / set.length, v2: right.v2 / set.length, ml: right.ml / set.length };
}

try {
  const results: Record<string, Accuracy> = {};
  const curve: Record<number, number[]> = {};
  let p50 = NaN;
  if (!httpOnly) {
    // 2. Accuracy with every training outcome.
    const trainMs = await trainOn(train);
    console.log(
      `\n2. Trained on all ${train.length} outcomes in ${(trainMs / 1000).toFixed(1)} s (insert + fold, in process).`,
    );
    console.log("   accuracy            v1 rules   v2 hybrid   ML part alone");
    for (const [name, set] of [
      ["dev", dev],
      ["hand-phrased", hand],
      ["held-out", heldOut],
    ] as const) {
      for (const withType of [false, true]) {
        const a = await accuracy(set, withType);
        results[`${name}:${withType}`] = a;
        console.log(
          `   ${`${name}, ${withType ? "with type" : "text only"}`.padEnd(26)}${f3(a.v1).padStart(5)}   ${f3(a.v2).padStart(9)}   ${f3(a.ml).padStart(13)}`,
        );
      }
    }
  }
  if (!httpOnly && !accuracyOnly) {
    // 3. The learning curve.
    console.log("\n3. Learning curve (dev, text only, v2): mean ± sd over 5 random subsamples");
    for (const n of [100, 300, 1000, 3000, 10000]) {
      curve[n] = [];
      for (let seed = 1; seed <= 5; seed++) {
        await trainOn(subsample(train, Math.min(n, train.length), seed * 7919 + n));
        const info = await modelInfo(prisma);
        if (info.samples !== Math.min(n, train.length))
          throw new Error(`model has ${info.samples} samples, expected ${n}`);
        curve[n]!.push((await accuracy(dev, false)).v2);
      }
      console.log(
        `   ${String(n).padStart(6)} outcomes: ${f3(mean(curve[n]!))} ± ${f3(sd(curve[n]!))}  [${curve[n]!.map(f3).join(" ")}]`,
      );
    }

    // 4. Route latency at 10 000 samples.
    await trainOn(train);
    await routeTask(prisma, { task: "warm up" });
    const latencies: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const t = performance.now();
      await routeTask(prisma, { task: dev[i % dev.length]!.task });
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    p50 = percentile(latencies, 50);
    console.log(
      `\n4. POST /route in process at ${train.length} samples, 10 000 calls: p50 ${p50.toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    );
  }

  // 5. Training over HTTP.
  if (accuracyOnly) {
    const ho = results["held-out:false"]!;
    const hoT = results["held-out:true"]!;
    console.log(`\nHeld out (written without seeing the rules): text only v2 ${f3(ho.v2)}, with type ${f3(hoT.v2)}`);
    process.exitCode = 0;
  } else {
    await ensureBuild();
    await resetModel(prisma);
    const app = await startApp(db.url, { FED_ADMIN_TOKEN: ADMIN, FED_RATE_LIMIT_PER_MINUTE: "0" });
    let http: { seconds: number; counted: number; early: number; late: number; failures: number };
    try {
      const n = 10_000;
      const perCall: number[] = new Array(n);
      let next = 0;
      let failures = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = next++; i < n; i = next++) {
            const o = train[i % train.length]!;
            const t = performance.now();
            const res = await fetch(`${app.base}/api/v1/route/train`, {
              method: "POST",
              headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
              body: JSON.stringify({ task: o.task, type: o.type, agent: o.agent, success: o.success }),
            });
            await res.arrayBuffer();
            if (res.status !== 201) failures++;
            perCall[i] = performance.now() - t;
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const counted = (await modelInfo(prisma)).samples;
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      http = {
        seconds,
        counted,
        failures,
        early: percentile(sorted(perCall.slice(0, 1000)), 50),
        late: percentile(sorted(perCall.slice(n - 1000)), 50),
      };
    } finally {
      await app.stop();
    }
    console.log(
      `\n5. 10 000 POST /route/train over HTTP at 16 in flight (production build): ${http.seconds.toFixed(1)} s, ${(10_000 / http.seconds).toFixed(0)}/s; the model counts ${http.counted}; ${http.failures} failed`,
    );
    console.log(
      `   per call, p50: ${http.early.toFixed(1)} ms for the first 1 000 (empty model), ${http.late.toFixed(1)} ms for the last 1 000 (9 000+ samples): ×${(http.late / http.early).toFixed(2)}`,
    );

    console.log("\nTargets:");
    const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
    if (!httpOnly) {
      const dt = results["dev:false"]!;
      const ht = results["hand-phrased:false"]!;
      const hy = results["hand-phrased:true"]!;
      const at3000 = mean(curve[3000]!);
      console.log(`   dev text only v2 ${f3(dt.v2)} ≥ 0.92 → ${verdict(dt.v2 >= 0.92)}`);
      console.log(`   learning curve at 3 000 ${f3(at3000)} ≥ 0.80 → ${verdict(at3000 >= 0.8)}`);
      console.log(
        `   hand-phrased text only ${f3(ht.v2)} ≥ 0.80 → ${verdict(ht.v2 >= 0.8)}; with type ${f3(hy.v2)} ≥ 0.90 → ${verdict(hy.v2 >= 0.9)}`,
      );
      console.log(`   route p50 ${p50.toFixed(2)} ms < 2 ms → ${verdict(p50 < 2)}`);
      const ho = results["held-out:false"]!;
      const hoT = results["held-out:true"]!;
      console.log(
        `   held out (no target of its own; the hand-phrased targets for comparison) text only ${f3(ho.v2)} ≥ 0.80 → ${verdict(ho.v2 >= 0.8)}; with type ${f3(hoT.v2)} ≥ 0.90 → ${verdict(hoT.v2 >= 0.9)}`,
      );
    }
    console.log(
      `   10 000 samples folded over HTTP in ${http.seconds.toFixed(1)} s < 60 s, all counted → ${verdict(http.seconds < 60 && http.counted === 10_000 && http.failures === 0)}`,
    );
  }
} finally {
  await prisma.$disconnect();
  await db.drop();
}
