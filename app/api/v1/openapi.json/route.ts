// GET /api/v1/openapi.json (no auth): the OpenAPI 3.1 document of every route, from the routes' own zod schemas.
import { json, publicRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

export const GET = publicRoute(
  "This document.",
  { responses: { 200: { mediaType: "application/json", description: "The OpenAPI 3.1 document." } } },
  // The index imports this very module: read it when asked, not while the modules load.
  async () => json(openApiDocument((await import("../routes")).ROUTES)),
);
