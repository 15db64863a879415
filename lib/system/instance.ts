// This app instance among the others on the same database: it registers and beats every few seconds, so each
// knows how many are live (the API rate limit is shared out between them), and it refuses to run with a session
// secret other than the one the database was first used with (a cookie signed by one instance must be valid on
// all of them).
import { createHmac, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/lib/db/client";
import { applyDemand, resetRateLimits, takeDemand } from "@/lib/http/rate-limit";
import { setting } from "@/lib/config/settings";

export const HEARTBEAT_MS = setting("FED_INSTANCE_HEARTBEAT_MS");
/** An instance not seen for this long is gone (crashed or stopped without saying so). */
const LIVE_WITHIN = "6 seconds";

export class SecretMismatch extends Error {}

/** A value derived from the secret (not the secret): equal on every instance that shares it. */
export const secretCheck = (secret: string) =>
  createHmac("sha256", secret).update("federation: shared session secret").digest("base64url");

/** Records the secret's check value on first use; throws SecretMismatch if the database was used with another. */
export async function checkSharedSecret(db: Db, secret: string): Promise<void> {
  const mine = secretCheck(secret);
  // One atomic statement: instances starting at once race here (Prisma's upsert may read, then insert).
  await db.$executeRaw`INSERT INTO system_settings (key, value) VALUES ('auth_secret_check', ${mine}) ON CONFLICT (key) DO NOTHING`;
  const stored = await db.systemSetting.findUniqueOrThrow({ where: { key: "auth_secret_check" } });
  if (stored.value !== mine)
    throw new SecretMismatch(
      "This database is already used by Federation instances with a different NEXTAUTH_SECRET. Every instance " +
        "on one database must share the same NEXTAUTH_SECRET (a session signed by one must be valid on all). Start " +
        "this instance with the others' NEXTAUTH_SECRET. If the secret was changed on purpose, delete the row " +
        "'auth_secret_check' from system_settings once every instance runs with the new one (everyone signs in again).",
    );
}

export { liveInstances } from "@/lib/http/rate-limit";

export interface Registration {
  id: string;
  stop: () => Promise<void>;
}

/** Registers this instance and beats until stopped (the timer does not keep the process alive). */
export async function registerInstance(db: Db, intervalMs = HEARTBEAT_MS): Promise<Registration> {
  const id = randomUUID();
  await db.instance.create({ data: { id, host: hostname(), pid: process.pid } });
  const beat = async () => {
    try {
      // What this instance was asked, per caller, since the last beat; then what all live instances were asked.
      const mine = takeDemand();
      await db.$executeRaw`
        INSERT INTO instances (id, host, pid, demand) VALUES (${id}, ${hostname()}, ${process.pid}, ${JSON.stringify(mine)}::jsonb)
        ON CONFLICT (id) DO UPDATE SET seen_at = now(), demand = EXCLUDED.demand`;
      const [row] = await db.$queryRawUnsafe<{ n: number; total: Record<string, number> | null }[]>(
        `SELECT (SELECT count(*)::int FROM instances WHERE seen_at > now() - interval '${LIVE_WITHIN}') AS n,
                (SELECT jsonb_object_agg(key, rate) FROM (
                   SELECT d.key, sum(d.value::float8) AS rate
                   FROM instances i, jsonb_each_text(i.demand) d
                   WHERE i.seen_at > now() - interval '${LIVE_WITHIN}' GROUP BY d.key) s) AS total`,
      );
      applyDemand(row?.n ?? 1, mine, row?.total ?? {});
      // Forget instances gone for a minute (crashed ones never say goodbye) — by the database's clock, which
      // wrote seen_at: an app clock ahead by a minute would forget live instances, this one included.
      await db.$executeRaw`DELETE FROM instances WHERE seen_at < now() - interval '60 seconds'`;
    } catch {
      /* the database is away: keep the last count, try again next beat */
    }
  };
  await beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref?.();
  return {
    id,
    stop: async () => {
      clearInterval(timer);
      await db.instance.deleteMany({ where: { id } }).catch(() => {});
      resetRateLimits();
    },
  };
}
