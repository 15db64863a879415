// GET /api/v1/votes/{id}: one vote with its ballots, live scores and result.
import { route } from "@/lib/http/route";
import { getVote } from "@/lib/voting/service";

export const GET = route({}, async ({ db, params }) => getVote(db, params.id!));
