// POST /api/v1/votes/{id}/ballots (an eligible voter): cast or replace its ballot while the vote is open.
import { route } from "@/lib/http/route";
import { ballotInput } from "@/lib/voting/schema";
import { castBallot } from "@/lib/voting/service";

export const POST = route({ body: ballotInput }, async ({ db, actor, params, body }) =>
  castBallot(db, actor, params.id!, body),
);
