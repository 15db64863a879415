#!/usr/bin/env node
// A fake CLI asked to vote: prints some prose and then FAKE_ANSWER (a JSON ballot, or more prose).
import { readFileSync } from "node:fs";

const prompt = readFileSync(0, "utf8");
if (!process.env.FED_VOTE_ID || !prompt.includes(process.env.FED_VOTE_ID)) process.exit(2);
console.log("Let me think about the options.");
console.log(process.env.FAKE_ANSWER ?? "I would go with b, I think.");
