// GET /api/v1/federation/state, PATCH (admin) { autoScheduling }.
import { route } from "@/lib/http/route";
import { federationStateInput } from "@/lib/scheduling/schema";
import { getFederationState, setAutoScheduling } from "@/lib/scheduling/state";

export const GET = route({}, async ({ db }) => getFederationState(db));
export const PATCH = route({ body: federationStateInput }, async ({ db, actor, body }) =>
  setAutoScheduling(db, actor, body.autoScheduling),
);
