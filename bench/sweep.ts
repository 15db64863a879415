// npm run bench:sweep — the lease sweep against a backlog: 100,000 expired leases (a tenth on their last
// attempt, so they fail and escalate) reaped in bounded set-based batches. Target: under a minute.
import { createPrisma } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { ensureFirstRun } from "@/lib/system/first-run";
import { benchDatabase } from "./support";
// Bulk statements here may run long on purpose: no per-statement timeout in this process (the app keeps its own).
process.env.FED_DB_QUERY_TIMEOUT_MS ??= "0";

const LEASES = Number(process.env.BENCH_LEASES ?? 100_000);

async function main() {
  const db = await benchDatabase();
  console.log(`Database: ${db.label}`);
  await migrate(db.url);
  const prisma = createPrisma(db.url, 4);
  try {
    await ensureFirstRun(prisma, { FED_ADMIN_PASSWORD: "bench-password-123" });
    await prisma.$executeRaw`
      INSERT INTO tasks (id, title, type, assignee, created_by, state, attempts, max_attempts, claimed_by, claimed_at, lease_expires_at, lease_token, updated_at)
      SELECT 'task-20200101-000000-' || lpad(g::text, 6, '0'), 'Sweep ' || g, 'sweep', 'kimi', 'bench', 'in_progress',
        CASE WHEN g % 10 = 0 THEN 2 ELSE 0 END, 3, 'kimi', now() - interval '1 hour', now() - interval '1 minute', 'lease_' || g, now()
      FROM generate_series(1, ${LEASES}) g`;
    const started = performance.now();
    const reaped = await reapExpiredLeases(prisma);
    const seconds = (performance.now() - started) / 1000;
    console.log(`\nLease sweep: ${LEASES.toLocaleString("en")} expired leases`);
    console.log(
      `  requeued ${reaped.requeued.length.toLocaleString("en")}, failed with an escalation ${reaped.failed.length.toLocaleString("en")}`,
    );
    console.log(
      `  ${seconds.toFixed(1)} s (${Math.round(LEASES / seconds).toLocaleString("en")} leases/s) — target: under 60 s`,
    );
  } finally {
    await prisma.$disconnect();
    await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
