// Each instance's notifier: every FED_NOTIFY_INTERVAL_MS it fans out the outbox, sends the due webhook deliveries and
// mails; once a minute it looks at the phase KPIs. Safe on every instance at once (each step takes its rows with
// SKIP LOCKED or a lease).
import type { Db } from "@/lib/db/client";
import { setting } from "@/lib/config/settings";
import { sendDueDeliveries } from "@/lib/webhooks/deliver";
import { watchKpis } from "./kpi-watch";
import { sendDueMails } from "./mail";
import { drainOutbox } from "./outbox";

const KPI_EVERY_MS = 60_000;

/** One round: the outbox fanned out, then what is due sent (even when the fan-out failed: what waits still goes). */
export async function notifyOnce(db: Db): Promise<void> {
  const steps = [
    async () => {
      while ((await drainOutbox(db)) === 100);
    },
    () => sendDueDeliveries(db),
    () => sendDueMails(db),
  ];
  const failed: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failed.push(error));
  if (failed.length) throw failed[0];
}

interface Notifier {
  timer: NodeJS.Timeout;
  stop: () => void;
}

export function startNotifier(db: Db, intervalMs = setting("FED_NOTIFY_INTERVAL_MS")): () => void {
  const g = globalThis as unknown as { federationNotifier?: Notifier };
  if (g.federationNotifier) return g.federationNotifier.stop;
  let running = false;
  let lastKpis = 0;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await notifyOnce(db);
      if (Date.now() - lastKpis >= KPI_EVERY_MS) {
        lastKpis = Date.now();
        await watchKpis(db);
      }
    } catch (error) {
      console.error("[notify] failed:", (error as Error).message);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref?.();
  const stop = () => {
    clearInterval(timer);
    if (g.federationNotifier?.timer === timer) g.federationNotifier = undefined;
  };
  g.federationNotifier = { timer, stop };
  return stop;
}
