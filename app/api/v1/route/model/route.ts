// GET /api/v1/route/model: { samples, vocabularySize, agents, trainedAt }.
import { route } from "@/lib/http/route";
import { modelInfo } from "@/lib/routing/state";
import { modelInfo as modelInfoDto } from "@/lib/routing/schema";

export const GET = route(
  "Model size and freshness.",
  { access: "signed-in", responses: { 200: modelInfoDto } },
  async ({ db }) => modelInfo(db),
);
