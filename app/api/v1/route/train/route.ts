// POST /api/v1/route/train { task, agent, success } → 201: one more sample for the ML router.
import { created, route } from "@/lib/http/route";
import { trainInput, modelInfo } from "@/lib/routing/schema";
import { trainFromApi } from "@/lib/routing/service";

export const POST = route(
  "One more training sample.",
  { access: "writer", body: trainInput, responses: { 201: modelInfo }, errors: [403] },
  async ({ db, actor, body }) => created(await trainFromApi(db, actor, body)),
);
