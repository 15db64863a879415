// POST /api/v1/votes/{id}/resolve (creator or admin): close the vote now with the ballots cast so far.
import { route } from "@/lib/http/route";
import { resolveVoteByHand } from "@/lib/voting/service";
import { voteDto } from "@/lib/voting/schema";

export const POST = route(
  "Close the vote now with the ballots so far.",
  { access: "creator-or-admin", responses: { 200: voteDto }, errors: [403, 404, 409] },
  async ({ db, actor, params }) => resolveVoteByHand(db, actor, params.id!),
);
