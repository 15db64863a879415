#!/usr/bin/env node
// A fake CLI that hits its provider's limit: the message says when it resets (FAKE_RESETS, e.g. "in 2 minutes"),
// and it exits 1. With FAKE_ONCE_MARKER it is limited only the first time, then does the work like coder.mjs.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const marker = process.env.FAKE_ONCE_MARKER;
if (marker && existsSync(marker)) {
  await import("./coder.mjs");
} else {
  readFileSync(0, "utf8");
  if (marker) writeFileSync(marker, "limited once\n");
  console.log("Working on it…");
  console.error(`Claude AI usage limit reached. Your limit resets ${process.env.FAKE_RESETS ?? "in 2 minutes"}.`);
  process.exit(1);
}
