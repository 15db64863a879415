// The API's route files on disk (for the route index's writer and its test; the running app reads the index).
import { readdirSync } from "node:fs";
import path from "node:path";

export const API_DIR = path.join(process.cwd(), "app", "api", "v1");
export const ROUTE_INDEX = path.join(API_DIR, "routes.ts");

/** Every `route.ts` under app/api/v1 but the catch-all 404, relative to the project (`app/api/v1/…/route.ts`). */
export function routeFiles(): string[] {
  return (readdirSync(API_DIR, { recursive: true }) as string[])
    .map((f) => f.replace(/\\/g, "/"))
    .filter((f) => f.endsWith("route.ts") && path.basename(f) === "route.ts" && !f.startsWith("[...unknown]"))
    .map((f) => `app/api/v1/${f}`)
    .sort();
}
