// POST /api/v1/votes/{id}/ballots (an eligible voter): cast or replace its ballot while the vote is open.
import { route } from "@/lib/http/route";
import { ballotInput, voteDto } from "@/lib/voting/schema";
import { castBallot } from "@/lib/voting/service";

export const POST = route(
  "Cast (or, while open, replace) your ballot.",
  { access: "agent", body: ballotInput, responses: { 200: voteDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => castBallot(db, actor, params.id!, body),
);
