// PATCH /api/v1/users/{id} (admin): role, name, disabled.
import { route } from "@/lib/http/route";
import { updateUserInput, userDto } from "@/lib/users/schema";
import { updateUser } from "@/lib/users/service";

export const PATCH = route(
  "Change role, name or disabled.",
  { access: "admin", body: updateUserInput, responses: { 200: userDto }, errors: [403, 404] },
  async ({ db, actor, params, body }) => updateUser(db, actor, params.id!, body),
);
