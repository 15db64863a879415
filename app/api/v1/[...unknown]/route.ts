// Any /api/v1 path no route serves: 404 problem+json (not Next's HTML page), for every method. Like every
// route but health it asks for credentials first, so anonymous callers cannot map which paths exist.
import { NotFound } from "@/lib/errors";
import { unlistedRoute } from "@/lib/http/route";

const notFound = unlistedRoute(async ({ req }) => {
  const path = new URL(req.url).pathname.slice(0, 200);
  throw new NotFound(`No API route ${req.method} ${path}. The routes are listed at /api/v1/openapi.json.`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
