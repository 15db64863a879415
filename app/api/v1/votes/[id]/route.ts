// GET /api/v1/votes/{id}: one vote with its ballots, live scores and result.
import { route } from "@/lib/http/route";
import { getVote } from "@/lib/voting/service";
import { voteDto } from "@/lib/voting/schema";

export const GET = route(
  "One vote with its ballots, live scores and result.",
  { access: "signed-in", responses: { 200: voteDto }, errors: [404] },
  async ({ db, params }) => getVote(db, params.id!),
);
