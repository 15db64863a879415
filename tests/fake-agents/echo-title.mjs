#!/usr/bin/env node
// A fake CLI that only prints the task it was given (title included) and exits 0.
import { readFileSync } from "node:fs";

const task = JSON.parse(readFileSync(process.env.FED_TASK_FILE, "utf8"));
readFileSync(0, "utf8");
console.log(`title: ${task.title}`);
