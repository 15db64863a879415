// npm run bench:cli — the installed `fed` starts fast (issue 23): packs the CLI (npm run pack:cli), installs it into
// a folder of its own, and times `fed --version` from a folder outside the checkout, interleaved with the anchor,
// Node starting and doing nothing (`node -e 0`), over 5 rounds. Target: median < 0.3 s.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = process.cwd();
execFileSync("npm", ["run", "-s", "pack:cli"], { cwd: root, stdio: "inherit" });
const prefix = mkdtempSync(path.join(tmpdir(), "fed-cli-bench-"));
const outside = mkdtempSync(path.join(tmpdir(), "fed-cli-cwd-"));
try {
  execFileSync("npm", ["install", "-g", "--silent", "--prefix", prefix, path.join(root, "dist", "fed-cli.tgz")], {
    stdio: "inherit",
  });
  const fed = path.join(prefix, "bin", "fed");
  const time = (file: string, args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(file, args, { cwd: outside, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return (performance.now() - t0) / 1000;
  };
  time(fed, ["--version"]); // the first start reads the file from disk
  const runs = { fed: [] as number[], node: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.node.push(time(process.execPath, ["-e", "0"]));
    runs.fed.push(time(fed, ["--version"]));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const fedMedian = median(runs.fed);
  const nodeMedian = median(runs.node);
  console.log(`fed --version (installed, from ${outside}): median ${fedMedian.toFixed(3)} s over ${ROUNDS} runs`);
  console.log(
    `node -e 0 (the anchor):                 median ${nodeMedian.toFixed(3)} s; fed ×${(fedMedian / nodeMedian).toFixed(2)}`,
  );
  console.log(`target < 0.3 s → ${fedMedian < 0.3 ? "met" : "NOT met"}`);
} finally {
  rmSync(prefix, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
}
