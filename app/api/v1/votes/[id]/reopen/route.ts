// POST /api/v1/votes/{id}/reopen (admin) { closesAt?, note? }: open again, ballots kept, audited.
import { route } from "@/lib/http/route";
import { reopenInput } from "@/lib/voting/schema";
import { reopenVote } from "@/lib/voting/service";

export const POST = route({ body: reopenInput }, async ({ db, actor, params, body }) =>
  reopenVote(db, actor, params.id!, body),
);
