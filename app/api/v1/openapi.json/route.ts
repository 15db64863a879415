// GET /api/v1/openapi.json (no auth): the OpenAPI 3.1 document of every route, from the routes' own zod schemas.
import { json, publicRoute } from "@/lib/http/route";
import { openApiDocument } from "@/lib/openapi/document";
import { ROUTES } from "../routes";

export const dynamic = "force-dynamic";

export const GET = publicRoute(
  "This document.",
  { responses: { 200: { mediaType: "application/json", description: "The OpenAPI 3.1 document." } } },
  async () => json(openApiDocument(ROUTES)),
);
