// npm run test:alone — runs every Vitest test on its own (`vitest run <file> -t <name>`), two at a time,
// to prove that no test depends on another's leftovers. Prints the ones that fail alone.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

const vitest = path.resolve("node_modules", ".bin", "vitest");
const listed = spawnSync(vitest, ["list", "--json", ...process.argv.slice(2)], {
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
});
const tests = JSON.parse(listed.stdout) as { name: string; file: string }[];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function runOne(t: { name: string; file: string }): Promise<boolean> {
  return new Promise((resolve) => {
    // `vitest list` joins describe blocks with " > "; -t matches them joined with spaces.
    const pattern = `^${escape(t.name.split(" > ").join(" "))}$`;
    const child = spawn(vitest, ["run", t.file, "-t", pattern], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.once("exit", (code) => resolve(code === 0 && /Tests\s+1 passed/.test(out.replace(/\u001b\[[0-9;]*m/g, ""))));
  });
}

const failed: string[] = [];
let next = 0;
let done = 0;
await Promise.all(
  Array.from({ length: Number(process.env.ALONE_WORKERS ?? 2) }, async () => {
    while (next < tests.length) {
      const t = tests[next++]!;
      if (!(await runOne(t))) failed.push(`${path.relative(process.cwd(), t.file)} › ${t.name}`);
      if (++done % 25 === 0) console.log(`${done}/${tests.length}…`);
    }
  }),
);
console.log(failed.length ? `\nFailed alone:\n${failed.join("\n")}` : `\nAll ${tests.length} tests pass alone.`);
process.exit(failed.length ? 1 : 0);
