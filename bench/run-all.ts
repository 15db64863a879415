// npm run bench — every benchmark in turn.
import { spawnSync } from "node:child_process";

for (const script of [
  "bench/queue.ts",
  "bench/sweep.ts",
  "bench/analytics.ts",
  "bench/console.ts",
  "bench/routing.ts",
  "bench/cli.ts",
]) {
  console.log(`\n### ${script}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", script], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
