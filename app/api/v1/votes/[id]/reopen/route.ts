// POST /api/v1/votes/{id}/reopen (admin) { closesAt?, note? }: open again, ballots kept, audited.
import { route } from "@/lib/http/route";
import { reopenInput, voteDto } from "@/lib/voting/schema";
import { reopenVote } from "@/lib/voting/service";

export const POST = route(
  "Open a resolved vote again, ballots kept.",
  { access: "admin", body: reopenInput, responses: { 200: voteDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => reopenVote(db, actor, params.id!, body),
);
