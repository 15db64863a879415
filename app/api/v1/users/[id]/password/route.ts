// POST /api/v1/users/{id}/password (admin): set or generate a new password; all of that user's sessions end.
import { route } from "@/lib/http/route";
import { resetPasswordInput } from "@/lib/users/schema";
import { resetPassword } from "@/lib/users/passwords";

export const POST = route({ body: resetPasswordInput }, async ({ db, actor, params, body }) =>
  resetPassword(db, actor, params.id!, body),
);
