// GET /api/v1/users (admin), POST /api/v1/users (admin): people who sign in.
import { created, route } from "@/lib/http/route";
import { createUserInput, userDto, createdUserDto } from "@/lib/users/schema";
import { createUser, listUsers } from "@/lib/users/service";
import { pageOf } from "@/lib/openapi/schemas";

export const GET = route(
  "People who sign in.",
  { access: "admin", responses: { 200: pageOf(userDto) }, errors: [403] },
  async ({ db, actor }) => ({ items: await listUsers(db, actor), nextCursor: null }),
);

export const POST = route(
  "Add a person (a password is generated when none is given).",
  { access: "admin", body: createUserInput, responses: { 201: createdUserDto }, errors: [403, 409] },
  async ({ db, actor, body }) => {
    const { user, password } = await createUser(db, actor, body);
    return created({ ...user, password });
  },
);
