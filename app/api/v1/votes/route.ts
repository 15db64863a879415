// GET /api/v1/votes?status= (newest first), POST /api/v1/votes (admin, member, agent): open a vote.
import { created, route } from "@/lib/http/route";
import { createVoteInput, listVotesQuery, voteDto } from "@/lib/voting/schema";
import { createVote, listVotes } from "@/lib/voting/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "Votes, newest first.",
  { access: "signed-in", query: listVotesQuery, responses: { 200: pageOf(voteDto) } },
  async ({ db, query }) => listVotes(db, query),
);

export const POST = route(
  "Open a vote (voters default to every active agent).",
  { access: "writer", body: createVoteInput, responses: { 201: voteDto }, errors: [403] },
  async ({ db, actor, body }) => created(await createVote(db, actor, body)),
);
