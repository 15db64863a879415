// Phase KPIs computed from the database. autoScheduledShare: the share of tasks that rules created.
import type { Tx } from "@/lib/db/client";

export interface Kpi {
  value: number;
  target: number;
  status: "ok" | "warn" | "bad";
}

/** ok at or above target, warn within 80% of it, bad below. */
export function statusAtLeast(value: number, target: number): Kpi["status"] {
  return value >= target ? "ok" : value >= target * 0.8 ? "warn" : "bad";
}

export async function autoScheduledShare(db: Tx, since?: Date): Promise<Kpi & { auto: number; total: number }> {
  const where = since ? { createdAt: { gte: since } } : {};
  const [total, auto] = await Promise.all([
    db.task.count({ where }),
    db.task.count({ where: { ...where, source: "auto" } }),
  ]);
  const value = total ? auto / total : 0;
  return { value, target: 0.5, status: statusAtLeast(value, 0.5), auto, total };
}
