#!/usr/bin/env node
// A fake CLI with output the API would refuse as it is, or that is large once escaped: a NUL, control characters by
// the ten thousand (six bytes each in JSON), a character split across writes; then it succeeds.
import { readFileSync } from "node:fs";

readFileSync(0, "utf8");
process.stdout.write("before\0after\n");
process.stdout.write("\u0001".repeat(100_000) + "\n");
const snowman = Buffer.from("☃\n");
process.stdout.write(snowman.subarray(0, 1));
await new Promise((r) => setTimeout(r, 50));
process.stdout.write(snowman.subarray(1));
console.log("done");
