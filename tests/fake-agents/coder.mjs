#!/usr/bin/env node
// A fake coding CLI: reads its prompt on stdin, writes a file named after the task, commits it on the branch it
// was started on, prints a few lines (one in colour) and a JSON result, and exits 0 — what `claude -p` does.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const prompt = readFileSync(0, "utf8");
const id = process.env.FED_TASK_ID;
const fromFile = readFileSync(process.env.FED_PROMPT_FILE, "utf8");
const task = JSON.parse(readFileSync(process.env.FED_TASK_FILE, "utf8"));
console.log(`fake coder: got ${prompt.length} characters of prompt for ${id} (${task.title})`);
if (fromFile !== prompt) {
  console.error("the prompt on stdin differs from FED_PROMPT_FILE");
  process.exit(2);
}
if (process.env.FED_TOKEN) {
  console.error("the agent's token reached the command");
  process.exit(2);
}
const delay = Number(process.env.FAKE_DELAY_MS ?? 0);
if (delay) {
  console.log("\u001b[32mthinking…\u001b[0m");
  await new Promise((r) => setTimeout(r, delay));
}
writeFileSync(`${id}.txt`, `done by the fake coder\n${task.title}\n`);
execFileSync("git", ["add", `${id}.txt`]);
execFileSync("git", ["-c", "user.name=Fake", "-c", "user.email=fake@example.com", "commit", "-q", "-m", `Do ${id}`]);
console.log(`committed ${id}.txt`);
console.log(JSON.stringify({ type: "result", result: `Wrote ${id}.txt and committed it.` }));
