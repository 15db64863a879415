// The API's operations, read off the route files' own declarations (lib/http/doc.ts): each route module's exported
// method handlers carry their description, and the route's path is its file's place under app/api/v1. The route
// index (app/api/v1/routes.ts, written by `npm run docs:routes`) lists the modules.
import { sectionOf, TAGS, type RouteDoc, type Tag } from "@/lib/http/doc";

export const METHODS = ["get", "post", "patch", "delete"] as const;
export type Method = (typeof METHODS)[number];

/** One route file: its API path (`/tasks/{id}/claim`) and its module's exports. */
export interface RouteModule {
  path: string;
  module: Record<string, unknown>;
}

export interface Operation extends RouteDoc {
  method: Method;
  path: string;
  tag: Tag;
}

/** The API path a route file serves: `app/api/v1/tasks/[id]/route.ts` → `/tasks/{id}`. */
export function apiPathOf(file: string): string {
  const dir = file
    .replace(/\\/g, "/")
    .replace(/^.*?app\/api\/v1/, "")
    .replace(/\/route\.ts$/, "");
  return dir.replace(/\[(\w+)\]/g, "{$1}") || "/";
}

/** Every described handler of these modules as an operation, grouped by section; an undescribed handler throws. */
export function operationsOf(routes: readonly RouteModule[]): Operation[] {
  const ops: Operation[] = [];
  for (const { path, module } of routes) {
    for (const method of METHODS) {
      const handler = module[method.toUpperCase()] as { doc?: RouteDoc } | undefined;
      if (handler === undefined) continue;
      if (!handler.doc) throw new Error(`${method.toUpperCase()} ${path} has no description: declare it with route().`);
      ops.push({ ...handler.doc, method, path, tag: sectionOf(path) });
    }
  }
  return ops.sort((a, b) => TAGS.indexOf(a.tag) - TAGS.indexOf(b.tag));
}

/** The route index's source: one import per route file (sorted), so the document can be built in any runtime. */
export function routeIndexSource(files: readonly string[]): string {
  const sorted = [...files].map((f) => f.replace(/\\/g, "/")).sort();
  const imports = sorted.map(
    (f, i) => `import * as r${i} from "./${f.replace(/^.*?app\/api\/v1\//, "").replace(/\.ts$/, "")}";`,
  );
  const entries = sorted.map((f, i) => `  { path: ${JSON.stringify(apiPathOf(f))}, module: r${i} },`);
  return [
    "// Written by `npm run docs:routes` from the route files under app/api/v1 (a test checks it is current): the",
    "// modules whose declarations the OpenAPI document, the API reference and the MCP tools are built from.",
    'import type { RouteModule } from "@/lib/openapi/operations";',
    ...imports,
    "",
    "export const ROUTES: RouteModule[] = [",
    ...entries,
    "];",
    "",
  ].join("\n");
}
