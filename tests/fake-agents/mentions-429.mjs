#!/usr/bin/env node
// A fake CLI whose tests fail for an ordinary reason, although its output mentions a 429 early on.
import { readFileSync } from "node:fs";

readFileSync(0, "utf8");
console.log("✓ GET /limited answers 429 Too Many Requests when over the rate limit");
for (let i = 0; i < 30; i++) console.log(`✓ test ${i}`);
console.error("✗ test 31: TypeError: cannot read properties of undefined");
process.exit(1);
