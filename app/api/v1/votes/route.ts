// GET /api/v1/votes?status= (newest first), POST /api/v1/votes (admin, member, agent): open a vote.
import { created, route } from "@/lib/http/route";
import { createVoteInput, listVotesQuery } from "@/lib/voting/schema";
import { createVote, listVotes } from "@/lib/voting/service";

export const GET = route({ query: listVotesQuery }, async ({ db, query }) => listVotes(db, query));

export const POST = route({ body: createVoteInput }, async ({ db, actor, body }) =>
  created(await createVote(db, actor, body)),
);
