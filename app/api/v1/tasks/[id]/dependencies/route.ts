// POST /api/v1/tasks/{id}/dependencies (admin or creator) { dependsOn }: 422 on an unknown task or a cycle.
import { route } from "@/lib/http/route";
import { addDependenciesInput, taskDto } from "@/lib/queue/schema";
import { addDependencies } from "@/lib/queue/admin-actions";

export const POST = route(
  "Add dependencies to a pending task (cycles are refused).",
  { access: "creator-or-admin", body: addDependenciesInput, responses: { 200: taskDto }, errors: [403, 404, 409] },
  async ({ db, actor, params, body }) => addDependencies(db, actor, params.id!, body.dependsOn),
);
