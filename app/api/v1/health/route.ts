// GET /api/v1/health: liveness and database reachability, no auth.
import { publicRoute, json } from "@/lib/http/route";
import { checkHealth } from "@/lib/system/health";
import { healthDto } from "@/lib/openapi/schemas";

export const dynamic = "force-dynamic";

export const GET = publicRoute(
  "Liveness and database reachability.",
  { responses: { 200: healthDto, 503: healthDto } },
  async () => {
    const health = await checkHealth();
    // 503 with Retry-After while the database is unreachable: a load balancer's readiness check takes it out of
    // rotation until it answers again.
    return health.database === "ok"
      ? json(health, 200, { "Cache-Control": "no-store" })
      : json(health, 503, { "Cache-Control": "no-store", "Retry-After": "5" });
  },
);
