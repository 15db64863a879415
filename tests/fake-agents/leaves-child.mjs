#!/usr/bin/env node
// A fake CLI that finishes but leaves a child behind holding its output (a dev server, a watcher): writes the child's
// pid to FAKE_PIDS_FILE and exits 0 at once.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

readFileSync(0, "utf8");
const child = spawn(process.execPath, ["-e", "setInterval(() => console.log('still here'), 200)"], {
  stdio: "inherit",
});
writeFileSync(process.env.FAKE_PIDS_FILE, JSON.stringify([child.pid]));
console.log("work done; a watcher keeps running");
process.exit(0);
