// npm run docs:routes — writes app/api/v1/routes.ts, the index of the API's route files (a test checks that it holds
// exactly what this would write).
import { readFileSync, writeFileSync } from "node:fs";
import { routeFiles, ROUTE_INDEX } from "@/lib/openapi/route-files";
import { routeIndexSource } from "@/lib/openapi/operations";

const before = readFileSync(ROUTE_INDEX, "utf8");
const after = routeIndexSource(routeFiles());
if (after === before) console.log("app/api/v1/routes.ts is up to date.");
else {
  writeFileSync(ROUTE_INDEX, after);
  console.log("app/api/v1/routes.ts was rewritten from the route files.");
}
