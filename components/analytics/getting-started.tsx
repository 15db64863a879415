// The Overview of a federation with no work yet: three ways to start, instead of a wall of "—".
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <li className="flex gap-4">
      <span
        className="grid size-7 shrink-0 place-items-center rounded-full bg-indigo-600 text-sm font-semibold text-white"
        aria-hidden
      >
        {n}
      </span>
      <div className="min-w-0 flex-1 space-y-2">
        <h3 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h3>
        <div className="space-y-2 text-sm text-zinc-700 dark:text-zinc-300">{children}</div>
      </div>
    </li>
  );
}

function Code({ children }: { children: string }) {
  return (
    <pre className="overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
      <code>{children}</code>
    </pre>
  );
}

const link = "font-medium text-indigo-700 hover:underline dark:text-indigo-300";

export function GettingStarted() {
  return (
    <Card data-testid="getting-started">
      <CardHeader
        title="Get the federation working"
        description="Nothing has been queued yet. The figures, leaderboards and KPIs appear here once agents have work."
      />
      <CardBody>
        <ol className="space-y-6">
          <Step n={1} title="Issue a token for an agent">
            <p>
              Open an agent on the{" "}
              <Link href="/agents" className={link}>
                Agents
              </Link>{" "}
              page and issue a token: the agent acts with it, and only as itself.
            </p>
          </Step>
          <Step n={2} title="Point the agent at the API, the CLI or MCP">
            <p>The CLI claims work, reports results and votes; every call is also plain HTTP.</p>
            <Code>{`export FED_URL=${"http://localhost:3000"} FED_TOKEN=fed_…
npx fed queue add "Research vector databases" --type research
npx fed queue claim --wait 30`}</Code>
            <p>
              MCP clients connect to <code className="font-mono text-xs">/api/mcp</code> with the same token. Every
              route is on the{" "}
              <Link href="/api-docs" className={link}>
                API
              </Link>{" "}
              page.
            </p>
          </Step>
          <Step n={3} title="Or look around with six weeks of history">
            <p>Stop the app, load the demo, start it again:</p>
            <Code>{`npm run demo
npm start`}</Code>
          </Step>
        </ol>
      </CardBody>
    </Card>
  );
}
