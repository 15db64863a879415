// GET /api/v1/route/model: { samples, vocabularySize, agents, trainedAt }.
import { route } from "@/lib/http/route";
import { modelInfo } from "@/lib/routing/model";

export const GET = route({}, async ({ db }) => modelInfo(db));
