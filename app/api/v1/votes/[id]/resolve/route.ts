// POST /api/v1/votes/{id}/resolve (creator or admin): close the vote now with the ballots cast so far.
import { route } from "@/lib/http/route";
import { resolveVoteByHand } from "@/lib/voting/service";

export const POST = route({}, async ({ db, actor, params }) => resolveVoteByHand(db, actor, params.id!));
