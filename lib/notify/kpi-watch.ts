// `kpi.status_changed`: the phase KPIs over the dashboard's default window, compared with their status as last seen
// (kpi_states). A move between ok / warn / bad is stored and written to the audit log in one transaction, so it is
// told once (the outbox trigger picks the event up). A KPI without enough data has no status to move.
import type { Db } from "@/lib/db/client";
import { SYSTEM } from "@/lib/auth/actor";
import { recordEvent } from "@/lib/audit/record";
import { dashboard } from "@/lib/analytics/service";
import { DEFAULT_WINDOW, windowStart } from "@/lib/analytics/window";

export const KPI_LABELS = {
  autoScheduledShare: "Auto-scheduled share",
  voteResolutionRate: "Votes settled by agents",
  routingAccuracy: "Routing accuracy",
  handoffsPerDay: "Reuben handoffs a day",
} as const;

/** Returns the KPIs whose status moved. */
export async function watchKpis(db: Db, now = new Date()): Promise<string[]> {
  const { kpis } = await dashboard(db, windowStart(DEFAULT_WINDOW, now));
  const moved: string[] = [];
  for (const [name, kpi] of Object.entries(kpis) as [keyof typeof KPI_LABELS, (typeof kpis)[keyof typeof kpis]][]) {
    if (!kpi.enoughData) continue;
    const changed = await db.$transaction(async (tx) => {
      const [before] = await tx.$queryRaw<
        { status: string }[]
      >`SELECT status FROM kpi_states WHERE name = ${name} FOR UPDATE`;
      if (before?.status === kpi.status) return false;
      await tx.$executeRaw`
        INSERT INTO kpi_states (name, status, changed_at) VALUES (${name}, ${kpi.status}, now())
        ON CONFLICT (name) DO UPDATE SET status = excluded.status, changed_at = now()`;
      // The first reading sets the baseline: nothing moved.
      if (!before) return false;
      await recordEvent(tx, {
        actor: SYSTEM,
        action: "kpi.status_changed",
        subject: `kpi:${name}`,
        details: {
          kpi: name,
          label: KPI_LABELS[name],
          from: before.status,
          to: kpi.status,
          value: Math.round(kpi.value * 1000) / 1000,
          target: kpi.target,
        },
      });
      return true;
    });
    if (changed) moved.push(name);
  }
  return moved;
}
