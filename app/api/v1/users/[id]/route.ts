// PATCH /api/v1/users/{id} (admin): role, name, disabled.
import { route } from "@/lib/http/route";
import { updateUserInput } from "@/lib/users/schema";
import { updateUser } from "@/lib/users/service";

export const PATCH = route({ body: updateUserInput }, async ({ db, actor, params, body }) =>
  updateUser(db, actor, params.id!, body),
);
