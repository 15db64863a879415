// Periodic housekeeping: reap expired leases, close votes whose time is up, train the router on new outcomes, drop stale id sequences and idempotency keys.
import { expireRateLimits } from "@/lib/agents/rate-limits";
import { getPrisma } from "@/lib/db/client";
import { reapExpiredLeases } from "@/lib/queue/lease";
import { trainPending } from "@/lib/routing/model";
import { closeDueVotes } from "@/lib/voting/service";
import { setting } from "@/lib/config/settings";

export async function sweepOnce(): Promise<void> {
  const db = getPrisma();
  await expireRateLimits(db);
  await reapExpiredLeases(db);
  await closeDueVotes(db);
  await trainPending(db);
  await db.$executeRaw`DELETE FROM id_sequences WHERE second < to_char((now() AT TIME ZONE 'utc') - interval '10 minutes', 'YYYYMMDD-HH24MISS')`;
  await db.$executeRaw`DELETE FROM idempotency_keys WHERE created_at < now() - interval '25 hours'`;
}

export function startSweeps(intervalMs = setting("FED_SWEEP_INTERVAL_MS")): void {
  const g = globalThis as unknown as { federationSweeps?: NodeJS.Timeout };
  if (g.federationSweeps) return;
  let running = false;
  g.federationSweeps = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await sweepOnce();
    } catch (error) {
      console.error("sweep failed:", (error as Error).message);
    } finally {
      running = false;
    }
  }, intervalMs);
  g.federationSweeps.unref?.();
}

export function stopSweeps(): void {
  const g = globalThis as unknown as { federationSweeps?: NodeJS.Timeout };
  clearInterval(g.federationSweeps);
  g.federationSweeps = undefined;
}
