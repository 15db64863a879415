// The Analytics page's series in one answer, each computed by PostgreSQL over the same window.
import { z } from "zod";
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
import { agentFigures as agentFiguresDto, typeFigures } from "./schema";

const count = z.number().int();

export const chartsDto = z
  .object({
    since: z.string().nullable(),
    totals: z.object({ outcomes: count, successes: count, reworks: count, agents: count, taskTypes: count }),
    agents: z.array(agentFiguresDto),
    matrix: z.array(typeFigures.extend({ agent: z.string() })),
    durations: z.object({
      buckets: z.array(z.string()),
      agents: z.array(z.object({ agent: z.string(), buckets: z.array(count) })),
    }),
    trend: z.array(z.object({ day: z.string(), agent: z.string(), tasks: count, successRate: z.number() })),
  })
  .meta({ id: "Charts" });
export type ChartsDto = Omit<z.infer<typeof chartsDto>, "totals" | "matrix" | "durations"> & {
  totals: Totals;
  matrix: MatrixCell[];
  durations: { buckets: readonly string[]; agents: { agent: string; buckets: number[] }[] };
};

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
