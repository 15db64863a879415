// GET /api/v1/users (admin), POST /api/v1/users (admin): people who sign in.
import { created, route } from "@/lib/http/route";
import { createUserInput } from "@/lib/users/schema";
import { createUser, listUsers } from "@/lib/users/service";

export const GET = route({}, async ({ db, actor }) => ({ items: await listUsers(db, actor), nextCursor: null }));

export const POST = route({ body: createUserInput }, async ({ db, actor, body }) => {
  const { user, password } = await createUser(db, actor, body);
  return created({ ...user, password });
});
