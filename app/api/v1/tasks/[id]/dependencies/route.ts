// POST /api/v1/tasks/{id}/dependencies (admin or creator) { dependsOn }: 422 on an unknown task or a cycle.
import { route } from "@/lib/http/route";
import { addDependenciesInput } from "@/lib/queue/schema";
import { addDependencies } from "@/lib/queue/admin-actions";

export const POST = route({ body: addDependenciesInput }, async ({ db, actor, params, body }) =>
  addDependencies(db, actor, params.id!, body.dependsOn),
);
