// What a route says about itself: who may call it, what it answers, in one declaration beside its handler. The
// OpenAPI document, the API reference page, the MCP tools that mirror a route and the contract test all read these
// declarations (lib/openapi), so a route that is not described cannot be written.
import type { z } from "zod";

export type Access =
  "public" | "signed-in" | "writer" | "admin" | "agent" | "holder" | "agent-or-admin" | "creator-or-admin";

export const ACCESS: Record<Access, string> = {
  public: "No credentials.",
  "signed-in": "Any credentials: an agent token, the admin token or a signed-in person.",
  writer: "Admins, members and agents (not viewers).",
  admin: "Admins (a person with the admin role, or FED_ADMIN_TOKEN).",
  agent: "An agent token (an admin may act for an agent by naming it).",
  holder: "The agent holding the task's lease, presenting the claim's lease token (X-Lease-Token or leaseToken).",
  "agent-or-admin": "That agent's own token, or an admin.",
  "creator-or-admin": "Whoever created it, or an admin.",
};

/** The API's sections, in the order the reference lists them. */
export const TAGS = [
  "System",
  "Users",
  "Agents",
  "Tasks",
  "Auto-scheduling",
  "Votes",
  "Escalations",
  "Analytics",
  "Routing",
  "Webhooks",
  "Log",
] as const;
export type Tag = (typeof TAGS)[number];

/** A body of another media type than JSON. */
export interface MediaBody {
  mediaType: string;
  description: string;
}

/** Status → the zod schema of its JSON body; `null` for no body; a `MediaBody` for another media type. */
export type Responses = Record<number, z.ZodType | null | MediaBody>;

/** What a route declares besides its summary: who may call it, what it takes and what it answers. */
export interface RouteSpec<B = unknown, Q = unknown> {
  access: Access;
  /** The JSON body, validated before the handler runs. */
  body?: z.ZodType<B>;
  /** The query string, validated before the handler runs. */
  query?: z.ZodType<Q>;
  responses: Responses;
  /** Error statuses worth listing besides the ones every authenticated route has (400, 401, 413, 422, 429, 503). */
  errors?: number[];
}

export interface RouteDoc<B = unknown, Q = unknown> extends RouteSpec<B, Q> {
  summary: string;
}

/** A route's section of the reference, by the first segment of its path (`/me` itself is System's). */
export function sectionOf(path: string): Tag {
  if (path === "/me") return "System";
  const first = path.split("/")[1]!.replace(/\.\w+$/, "");
  const section = SECTIONS[first];
  if (!section) throw new Error(`No section for ${path}: add its first segment to SECTIONS (lib/http/doc.ts).`);
  return section;
}

const SECTIONS: Record<string, Tag> = {
  health: "System",
  openapi: "System",
  events: "System",
  me: "Users",
  users: "Users",
  agents: "Agents",
  tasks: "Tasks",
  rules: "Auto-scheduling",
  federation: "Auto-scheduling",
  votes: "Votes",
  escalations: "Escalations",
  analytics: "Analytics",
  outcomes: "Analytics",
  route: "Routing",
  "routing-rules": "Routing",
  webhooks: "Webhooks",
  log: "Log",
};

/** A described handler: what Next calls, carrying its declaration. */
export type Described<F> = F & { doc: RouteDoc };

export function describe<F extends object>(handler: F, doc: RouteDoc): Described<F> {
  return Object.assign(handler, { doc });
}
