// Shapes of the audit log API.
import { z } from "zod";
import { listQuery } from "@/lib/http/list";

export const logQuery = listQuery.extend({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  subject: z.string().max(200).optional(),
});
export type LogQuery = z.infer<typeof logQuery>;

export const eventDto = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type EventDto = z.infer<typeof eventDto>;
