// POST /api/v1/route/train { task, agent, success } → 201: one more sample for the ML router.
import { created, route } from "@/lib/http/route";
import { trainInput } from "@/lib/routing/schema";
import { trainFromApi } from "@/lib/routing/service";

export const POST = route({ body: trainInput }, async ({ db, actor, body }) =>
  created(await trainFromApi(db, actor, body)),
);
