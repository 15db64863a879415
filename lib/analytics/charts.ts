// The Analytics page's series in one answer, each computed by PostgreSQL over the same window.
import type { Tx } from "@/lib/db/client";
import {
  agentFigures,
  DURATION_BUCKETS,
  durationDistribution,
  matrix,
  totals,
  trendByAgent,
  type MatrixCell,
  type Totals,
} from "./metrics";
import type { AgentFigures } from "./schema";

export interface ChartsDto {
  since: string | null;
  totals: Totals;
  agents: AgentFigures[];
  matrix: MatrixCell[];
  durations: { buckets: readonly string[]; agents: { agent: string; buckets: number[] }[] };
  trend: { day: string; agent: string; tasks: number; successRate: number }[];
}

export async function charts(db: Tx, since?: Date): Promise<ChartsDto> {
  const [t, agents, cells, durations, points] = await Promise.all([
    totals(db, since),
    agentFigures(db, since),
    matrix(db, since),
    durationDistribution(db, since),
    trendByAgent(db, since),
  ]);
  return {
    since: since?.toISOString() ?? null,
    totals: t,
    agents,
    matrix: cells,
    durations: { buckets: DURATION_BUCKETS, agents: durations },
    trend: points,
  };
}
