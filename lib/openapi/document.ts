// The OpenAPI 3.1 document, built from the routes' own declarations and the zod schemas they validate with
// (requests as inputs, responses as outputs). Named schemas (`.meta({ id })`) become components.
import { z } from "zod";
import { ACCESS, TAGS } from "@/lib/http/doc";
import pkg from "@/package.json";
import { operationsOf, type Operation, type RouteModule } from "./operations";
import { problemDto } from "./schemas";

type Json = Record<string, unknown>;

const COMMON_ERRORS: Record<number, string> = {
  400: "Malformed JSON, a malformed path id or cursor, JSON nested too deep.",
  401: "No or bad credentials.",
  413: "Body over 64 KiB.",
  422: "Validation failed; `errors` names every bad field.",
  429: "Rate limited; see Retry-After.",
  503: "The database is unavailable or busy; see Retry-After.",
};
const ERROR_TITLES: Record<number, string> = {
  403: "Not allowed.",
  404: "Unknown id.",
  409: "Conflicts with the current state.",
};

/** Converts a schema, moving named sub-schemas into `defs` and pointing at them as components. */
function convert(schema: z.ZodType, io: "input" | "output", defs: Json): Json {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  const raw = JSON.stringify(out).replaceAll('"#/$defs/', '"#/components/schemas/');
  const converted = JSON.parse(raw) as Json;
  for (const [name, def] of Object.entries((converted.$defs as Json | undefined) ?? {})) defs[name] ??= def;
  delete converted.$defs;
  delete converted.$schema;
  return io === "output" ? loosen(converted) : converted;
}

/** Answers may grow fields (the contract adds, never renames): output objects do not forbid extra properties. */
function loosen(value: unknown): Json {
  if (Array.isArray(value)) return value.map(loosen) as unknown as Json;
  if (!value || typeof value !== "object") return value as Json;
  const copy: Json = {};
  for (const [k, v] of Object.entries(value)) if (!(k === "additionalProperties" && v === false)) copy[k] = loosen(v);
  return copy;
}

/** What each path parameter names. */
const PATH_PARAMS: Record<string, string> = {
  id: "The resource's id.",
  name: "The agent's name.",
  tokenId: "The token's id.",
  deliveryId: "The delivery's id (its webhook-id).",
  prefix: "The token's prefix, as listed.",
  type: "The task type.",
};

function parameters(op: Operation, defs: Json): Json[] {
  const params: Json[] = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: PATH_PARAMS[name!] ?? name,
    schema: { type: "string" },
  }));
  if (op.query) {
    const q = convert(op.query, "input", defs) as { properties?: Json; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      params.push({
        name,
        in: "query",
        required: (q.required ?? []).includes(name) && !("default" in (schema as Json)),
        schema,
      });
    }
  }
  return params;
}

function operation(op: Operation, defs: Json): Json {
  const responses: Json = {};
  for (const [status, body] of Object.entries(op.responses)) {
    if (body === null) responses[status] = { description: status === "204" ? "No content." : "No body." };
    else if ("mediaType" in body && typeof body.mediaType === "string")
      responses[status] = { description: body.description, content: { [body.mediaType]: {} } };
    else
      responses[status] = {
        description: "OK.",
        content: { "application/json": { schema: convert(body as z.ZodType, "output", defs) } },
      };
  }
  const problem = { content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
  const errors =
    op.access === "public"
      ? []
      : [...new Set([...Object.keys(COMMON_ERRORS).map(Number), ...(op.errors ?? [])])].sort();
  for (const status of errors)
    responses[status] ??= { description: COMMON_ERRORS[status] ?? ERROR_TITLES[status] ?? "Error.", ...problem };
  return {
    tags: [op.tag],
    summary: op.summary,
    description: `Who: ${ACCESS[op.access]}`,
    operationId: `${op.method}${op.path.replace(/[{}]/g, "").replace(/[^a-zA-Z0-9]+(.)/g, (_, c: string) => c.toUpperCase())}`,
    ...(op.access === "public" ? { security: [] } : {}),
    parameters: parameters(op, defs),
    ...(op.body
      ? {
          requestBody: { required: true, content: { "application/json": { schema: convert(op.body, "input", defs) } } },
        }
      : {}),
    responses,
  };
}

const built = new WeakMap<readonly RouteModule[], Json>();

/** The document of these routes (the app passes app/api/v1/routes.ts's index), built once per index. */
export function openApiDocument(routes: readonly RouteModule[]): Json {
  const cached = built.get(routes);
  if (cached) return cached;
  const operations = operationsOf(routes);
  const defs: Json = {};
  const paths: Json = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {}) as Json;
    item[op.method] = operation(op, defs);
  }
  defs.Problem = convert(problemDto, "output", defs);
  const doc: Json = {
    openapi: "3.1.0",
    info: {
      title: "Federation API",
      version: pkg.version,
      description:
        "The agent-facing API of Federation: a task queue with leases, auto-scheduling, votes and escalations, analytics and predictive routing. JSON in and out; errors are RFC 9457 problem details.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }, { session: [] }],
    tags: TAGS.filter((tag) => operations.some((o) => o.tag === tag)).map((name) => ({ name })),
    paths,
    components: {
      schemas: defs,
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An agent token (shown once when issued), or FED_ADMIN_TOKEN.",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "next-auth.session-token",
          description: "A signed-in browser session (writes must be same-origin JSON).",
        },
      },
    },
  };
  built.set(routes, doc);
  return doc;
}
