// What every server instance does as it starts: refuse a session secret the other instances do not share, register
// itself among the live instances, rebase audit events restored from another cluster, and start the background
// sweeps and the notifier (safe on every instance at once).
import { authSecret } from "@/lib/auth/secret";
import { getPrisma, poolOf } from "@/lib/db/client";
import { rebaseRestoredEvents } from "@/lib/events/bus";
import { checkSharedSecret, registerInstance, SecretMismatch } from "./instance";
import { setting } from "@/lib/config/settings";

export async function startInstance(): Promise<void> {
  const db = getPrisma();
  // A start that waits on the database says so (and on which step), rather than hanging silently.
  let step = "checking the session secret";
  const slow = setInterval(() => console.warn(`Federation is still starting: ${step}…`), 10_000);
  slow.unref?.();
  try {
    await checkSharedSecret(db, authSecret());
  } catch (error) {
    if (error instanceof SecretMismatch) {
      console.error(`\nFederation cannot start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    clearInterval(slow);
    throw error;
  }
  step = "registering this instance";
  try {
    await registerInstance(db);
    // A database restored from a dump carries the old cluster's transaction ids in its audit log: before any stream.
    step = "checking the audit log for events restored from another cluster";
    await rebaseRestoredEvents(poolOf(db));
  } finally {
    clearInterval(slow);
  }
  if (setting("FED_DISABLE_SWEEPS") !== "1") {
    const { startSweeps } = await import("./sweeps");
    startSweeps();
    // Webhooks and mails: the outbox fanned out and what is due sent, by every instance.
    const { startNotifier } = await import("@/lib/notify/loop");
    startNotifier(db);
  }
}
