// npm run demo [-- --force] — fills an empty database (the embedded one, or DATABASE_URL) with six weeks of
// generated history so every page has something to show. Refuses a database that already has work in it
// unless --force, which first deletes the work (tasks, outcomes, votes, escalations, the log, the model).
import { createPrisma } from "@/lib/db/client";
import { migrate, withAdvisoryLock } from "@/lib/db/migrate";
import { generateHistory } from "@/lib/demo/generate";
import { loadHistory } from "@/lib/demo/load";
import { ensureFirstRun } from "@/lib/system/first-run";
import { withDatabase } from "./database";
// Bulk statements here may run long on purpose: no per-statement timeout in this process (the app keeps its own).
process.env.FED_DB_QUERY_TIMEOUT_MS ??= "0";

const force = process.argv.includes("--force");

await withDatabase(async (url) => {
  await migrate(url);
  const db = createPrisma(url, 4);
  try {
    const first = await withAdvisoryLock(url, 72707370, () => ensureFirstRun(db));
    if (first.admin) {
      console.log(
        `First admin account: ${first.admin.email}, password ${first.admin.generated ? first.admin.password : "the value of FED_ADMIN_PASSWORD"} (shown once).`,
      );
    }
    const [tasks, outcomes, votes] = await Promise.all([db.task.count(), db.outcome.count(), db.vote.count()]);
    if (tasks + outcomes + votes > 0) {
      if (!force) {
        console.error(
          `This database already has ${tasks} tasks, ${outcomes} outcomes and ${votes} votes; the demo fills only an empty one.`,
        );
        console.error("Run `npm run demo -- --force` to delete that work first (users, agents and rules stay).");
        process.exitCode = 1;
        return;
      }
      await db.$executeRawUnsafe(
        "TRUNCATE tasks, task_dependencies, idempotency_keys, outcomes, outcome_rollups, votes, ballots, escalations, audit_events, optimizer_changes, routing_samples, routing_term_stats, routing_term_docs, routing_type_stats",
      );
      await db.$executeRaw`UPDATE routing_model SET samples = 0, vocabulary = 0, version = nextval('routing_model_version'), trained_at = NULL`;
      console.log("Deleted the existing work (--force).");
    }
    const started = Date.now();
    const history = generateHistory();
    await loadHistory(db, history);
    console.log(
      `Demo history loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${history.tasks.length} tasks, ${history.outcomes.length} outcomes, ` +
        `${history.votes.length} votes, ${history.escalations.length} escalations over six weeks. Start the app with \`npm start\`.`,
    );
  } finally {
    await db.$disconnect();
  }
});
