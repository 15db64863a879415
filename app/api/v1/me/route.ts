// GET /api/v1/me: who the credentials belong to (handy for agents and the CLI).
import { route } from "@/lib/http/route";

export const GET = route({}, async ({ actor }) => ({
  kind: actor.kind,
  role: actor.role,
  label: actor.label,
  ...(actor.kind === "agent" ? { agent: actor.agent } : {}),
}));
