// GET /api/v1/health: liveness and database reachability, no auth.
import { publicRoute, json } from "@/lib/http/route";
import { checkHealth } from "@/lib/system/health";

export const dynamic = "force-dynamic";

export const GET = publicRoute({ public: true }, async () => {
  const health = await checkHealth();
  return json(health, health.database === "ok" ? 200 : 503, { "Cache-Control": "no-store" });
});
