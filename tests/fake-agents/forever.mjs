#!/usr/bin/env node
// A fake CLI that never ends, with a child of its own: writes both pids to FAKE_PIDS_FILE, then prints forever.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";

const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
writeFileSync(process.env.FAKE_PIDS_FILE, JSON.stringify([process.pid, child.pid]));
// Ignores SIGTERM, as a stuck tool may: only SIGKILL after the grace period ends it.
process.on("SIGTERM", () => console.log("ignoring SIGTERM"));
setInterval(() => console.log(`still working at ${new Date().toISOString()}`), 200);
