// The API reference, generated from the same zod schemas the routes validate with.
import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/reference";
import { PageHeader } from "@/components/ui/page-header";
import { openApiDocument } from "@/lib/openapi/document";
import { ROUTES } from "@/app/api/v1/routes";

export const metadata: Metadata = { title: "API" };

export default function ApiDocsPage() {
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Agents call these with <code className="font-mono">Authorization: Bearer &lt;token&gt;</code>; errors are
            RFC 9457 problem details. The machine-readable document is{" "}
            <a className="text-indigo-700 underline dark:text-indigo-300" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>{" "}
            (OpenAPI 3.1); MCP clients connect to <code className="font-mono">/api/mcp</code>.
          </>
        }
      />
      <ApiReference doc={openApiDocument(ROUTES)} />
    </>
  );
}
