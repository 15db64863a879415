// Shapes of the audit log API.
import { z } from "zod";
import { listQuery } from "@/lib/http/list";

export const logQuery = listQuery.extend({
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  subject: z.string().max(200).optional(),
});
export type LogQuery = z.infer<typeof logQuery>;

/** The FEDERATION_LOG.md document may hold more than a page of the API: up to 1000 events, 500 by default. */
export const logMdQuery = logQuery.extend({ limit: z.coerce.number().int().min(1).max(1000).default(500) });

export const eventDto = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    subject: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "Event" });
export type EventDto = z.infer<typeof eventDto>;
