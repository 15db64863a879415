#!/usr/bin/env node
// A fake CLI that fails the ordinary way: an error, exit 1 (no rate limit in sight).
import { readFileSync } from "node:fs";

readFileSync(0, "utf8");
console.error("TypeError: cannot read properties of undefined (reading 'map')");
process.exit(1);
