// A phase KPI: its value against the target, and "not enough data" rather than a red "bad" when it rests
// on too few samples.
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { Kpi } from "@/lib/analytics/kpis";

const STATUS: Record<Kpi["status"], { tone: "green" | "amber" | "red"; label: string }> = {
  ok: { tone: "green", label: "on target" },
  warn: { tone: "amber", label: "close" },
  bad: { tone: "red", label: "off target" },
};

export function KpiCard({
  id,
  title,
  kpi,
  format,
  target,
  detail,
}: {
  id: string;
  title: string;
  kpi: Kpi;
  format: (v: number) => string;
  target: string;
  detail: React.ReactNode;
}) {
  const status = STATUS[kpi.status];
  return (
    <Card className="p-5" data-testid={`kpi-${id}`}>
      <div className="flex items-start justify-between gap-2">
        <p className="text-sm font-medium text-zinc-600 dark:text-zinc-400">{title}</p>
        {kpi.enoughData ? <Badge tone={status.tone}>{status.label}</Badge> : <Badge tone="gray">not enough data</Badge>}
      </div>
      <p className="mt-2 text-3xl font-semibold tabular-nums">{kpi.enoughData ? format(kpi.value) : "—"}</p>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        target {target} · {detail}
      </p>
    </Card>
  );
}
