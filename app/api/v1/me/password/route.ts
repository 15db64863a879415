// POST /api/v1/me/password (a signed-in person): change your own password; your other sessions end.
import { route } from "@/lib/http/route";
import { changePasswordInput, passwordChanged } from "@/lib/users/schema";
import { changeOwnPassword } from "@/lib/users/passwords";

export const POST = route(
  "Change your own password; your other sessions end.",
  { access: "signed-in", body: changePasswordInput, responses: { 200: passwordChanged }, errors: [403] },
  async ({ db, actor, body }) => changeOwnPassword(db, actor, body),
);
