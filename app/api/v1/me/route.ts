// GET /api/v1/me: who the credentials belong to (handy for agents and the CLI).
import { route } from "@/lib/http/route";
import { meDto } from "@/lib/openapi/schemas";

export const GET = route(
  "Who the credentials belong to.",
  { access: "signed-in", responses: { 200: meDto } },
  async ({ actor }) => ({
    kind: actor.kind,
    role: actor.role,
    label: actor.label,
    ...(actor.kind === "agent" ? { agent: actor.agent } : {}),
  }),
);
