// For the kill -9 webhook test: opens a vote the three agents tie on (vote.escalated, escalation.opened), then kills
// its own process -9 the moment the last ballot's transaction has committed — before any notifier could send.
import { SYSTEM, type Actor } from "@/lib/auth/actor";
import { getPrisma } from "@/lib/db/client";
import { castBallot, createVote } from "@/lib/voting/service";

const db = getPrisma();
const agent = (name: string): Actor => ({ kind: "agent", role: "agent", agent: name, tokenId: "t", label: name });
const vote = await createVote(db, SYSTEM, {
  question: "Killed before delivery?",
  options: ["a", "b", "c"],
  voters: ["claude", "kimi", "copilot"],
});
await castBallot(db, agent("claude"), vote.id, { option: "a", confidence: 0.8 });
await castBallot(db, agent("kimi"), vote.id, { option: "b", confidence: 0.8 });
await castBallot(db, agent("copilot"), vote.id, { option: "c", confidence: 0.1 });
process.kill(process.pid, "SIGKILL");
