// POST /api/v1/me/password (a signed-in person): change your own password; your other sessions end.
import { route } from "@/lib/http/route";
import { changePasswordInput } from "@/lib/users/schema";
import { changeOwnPassword } from "@/lib/users/passwords";

export const POST = route({ body: changePasswordInput }, async ({ db, actor, body }) =>
  changeOwnPassword(db, actor, body),
);
