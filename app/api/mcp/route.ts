// /api/mcp: the Model Context Protocol over Streamable HTTP (stateless, JSON answers), authenticated by an
// agent's bearer token; tools act as that agent with the API's own access rules (lib/mcp/tools.ts).
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Forbidden } from "@/lib/errors";
import { chargeRequests, unlistedRoute } from "@/lib/http/route";
import { createMcpServer } from "@/lib/mcp/tools";
import { ROUTES } from "../v1/routes";

export const dynamic = "force-dynamic";

const handle = unlistedRoute(async ({ req, db, actor, rawBody }) => {
  if (actor.kind === "user")
    throw new Forbidden("MCP clients authenticate with a bearer token (an agent's token), not a browser session.");
  // Every call in a JSON-RPC batch counts against the caller's rate limit, not only the request that carried it.
  if (Array.isArray(rawBody) && rawBody.length > 1) chargeRequests(actor, rawBody.length - 1);
  const server = createMcpServer(db, actor, ROUTES, req.signal);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  try {
    return await transport.handleRequest(req, { parsedBody: rawBody });
  } finally {
    await server.close();
  }
});

export const POST = handle;
export const GET = handle;
export const DELETE = handle;
