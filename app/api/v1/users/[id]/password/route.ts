// POST /api/v1/users/{id}/password (admin): set or generate a new password; all of that user's sessions end.
import { route } from "@/lib/http/route";
import { resetPasswordInput, passwordReset } from "@/lib/users/schema";
import { resetPassword } from "@/lib/users/passwords";

export const POST = route(
  "Reset someone's password; all their sessions end.",
  { access: "admin", body: resetPasswordInput, responses: { 200: passwordReset }, errors: [403, 404] },
  async ({ db, actor, params, body }) => resetPassword(db, actor, params.id!, body),
);
