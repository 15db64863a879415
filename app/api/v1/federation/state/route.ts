// GET /api/v1/federation/state, PATCH (admin) { autoScheduling }.
import { route } from "@/lib/http/route";
import { federationStateInput, federationStateDto } from "@/lib/scheduling/schema";
import { getFederationState, setAutoScheduling } from "@/lib/scheduling/state";

export const GET = route(
  "The global switches.",
  { access: "signed-in", responses: { 200: federationStateDto } },
  async ({ db }) => getFederationState(db),
);
export const PATCH = route(
  "Turn auto-scheduling on or off.",
  { access: "admin", body: federationStateInput, responses: { 200: federationStateDto }, errors: [403] },
  async ({ db, actor, body }) => setAutoScheduling(db, actor, body.autoScheduling),
);
