"use client";
// The routing explainer: type a task and see who gets it, each agent's rule and ML parts, the terms
// behind the ML score, and v1 against v2.
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ScoreBars } from "@/components/charts/score-bars";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { QueryError, Spinner } from "@/components/ui/feedback";
import { Field, Input, Textarea } from "@/components/ui/form";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { api } from "@/lib/client/api";
import type { RouteResult } from "@/lib/routing/schema";
import { routeKeys } from "@/components/live/keys";

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

const pct = (x: number) => x.toFixed(2);

export function RouteExplainer() {
  const [task, setTask] = useState("Research distributed databases");
  const [type, setType] = useState("");
  const q = useDebounced({ task: task.trim(), type: type.trim() }, 250);
  const result = useQuery({
    queryKey: routeKeys.explain(q),
    queryFn: () =>
      api<RouteResult>("/route", {
        body: { task: q.task, ...(q.type ? { type: q.type } : {}), explain: true, compare: true },
      }),
    enabled: q.task.length > 0,
    placeholderData: (prev) => prev,
  });
  const r = result.data;
  const conf = r?.breakdown?.mlConfidence ?? 0;
  const chosen = r?.candidates[0];

  return (
    <div className="space-y-6">
      <Card>
        <CardBody className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <Field label="Task" hint="Routing updates as you type.">
            {(p) => (
              <Textarea
                {...p}
                rows={2}
                value={task}
                onChange={(e) => setTask(e.target.value)}
                placeholder="Research distributed databases"
                autoFocus
              />
            )}
          </Field>
          <Field label="Type (optional)">
            {(p) => <Input {...p} value={type} onChange={(e) => setType(e.target.value)} placeholder="research" />}
          </Field>
        </CardBody>
      </Card>
      <QueryError error={result.error} what="the route" />
      {!q.task && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Describe a task to see which agent the router picks and why.
        </p>
      )}
      {q.task && !r && <Spinner label="Routing" />}
      {r && q.task && (
        <>
          <div className="grid gap-4 md:grid-cols-3">
            <Card className="p-5" data-testid="routing-decision">
              {r.personDecides ? (
                <>
                  <p className="text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
                    Decision
                  </p>
                  <p className="mt-1 text-2xl font-semibold" data-testid="routed-agent">
                    A person decides
                  </p>
                  <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                    {r.reason === "no evidence"
                      ? "No evidence: no routing rule matches and the model knows none of these words, so the agents' prior rates alone would pick one. A new task like this waits in the inbox."
                      : r.agent === null && !r.fallbackApplied
                        ? `No agent reaches confidence 0.30 (the highest is ${pct(r.confidence)}); a new task like this waits in the inbox. The candidates are below.`
                        : "No active agent can take it; a new task like this waits in the inbox."}
                  </p>
                </>
              ) : (
                <>
                  <p className="text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
                    Routed to
                  </p>
                  <p className="mt-1 font-mono text-2xl font-semibold" data-testid="routed-agent">
                    {r.agent}
                  </p>
                  <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                    confidence {pct(r.confidence)} · {r.method}
                  </p>
                </>
              )}
              {r.typeGuess && (
                <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="type-guess">
                  Reads as{" "}
                  {r.typeGuess
                    .filter((g) => g.probability >= 0.05)
                    .map((g) => `${g.type} ${(g.probability * 100).toFixed(0)}%`)
                    .join(", ")}
                </p>
              )}
              {r.fallbackApplied && (
                <Badge tone="amber" className="mt-2">
                  fallback: {r.fallbackApplied.from} → {r.fallbackApplied.to || "none"} ({r.fallbackApplied.reason})
                </Badge>
              )}
            </Card>
            <Card className="p-5">
              <p className="text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
                Score breakdown
              </p>
              {r.breakdown && (
                <dl className="mt-2 grid grid-cols-2 gap-y-1 text-sm" data-testid="breakdown">
                  <dt className="text-zinc-600 dark:text-zinc-400">Rule component</dt>
                  <dd className="text-right tabular-nums">{pct(r.breakdown.ruleScore)}</dd>
                  <dt className="text-zinc-600 dark:text-zinc-400">ML component</dt>
                  <dd className="text-right tabular-nums">{pct(r.breakdown.mlScore)}</dd>
                  <dt className="text-zinc-600 dark:text-zinc-400">ML confidence</dt>
                  <dd className="text-right tabular-nums">
                    {pct(r.breakdown.mlConfidence)} ({r.breakdown.samples} samples)
                  </dd>
                </dl>
              )}
              <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
                final = 0.6 × rule + 0.4 × ML × confidence
              </p>
            </Card>
            <Card className="p-5" data-testid="compare">
              <p className="text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">v1 vs v2</p>
              {r.compare && (
                <div className="mt-2 space-y-1 text-sm">
                  <p>
                    v1 rules: <span className="font-mono font-medium">{r.compare.v1.agent ?? "nobody"}</span> (
                    {pct(r.compare.v1.confidence)})
                  </p>
                  <p>
                    v2 hybrid: <span className="font-mono font-medium">{r.compare.v2.agent ?? "nobody"}</span> (
                    {pct(r.compare.v2.confidence)})
                  </p>
                  <Badge tone={r.compare.agree ? "green" : "amber"}>
                    {r.compare.agree ? "they agree" : "they disagree"}
                  </Badge>
                </div>
              )}
            </Card>
          </div>
          <Card>
            <CardHeader
              title="Every candidate"
              description="Indigo is the rule part, green the ML part; their sum is the final score."
            />
            <CardBody>
              <ScoreBars
                highlight={chosen?.agent}
                rows={r.candidates.map((c) => ({
                  agent: c.agent,
                  rules: 0.6 * c.ruleScore,
                  ml: 0.4 * c.mlScore * conf,
                }))}
              />
            </CardBody>
            <Table aria-label="Candidates">
              <Thead
                columns={["Agent", "Status", "Rule", "Matched rules", "ML", "Final", "Behind the ML score"]}
                numeric={["Rule", "ML", "Final"]}
              />
              <Tbody>
                {r.candidates.map((c) => (
                  <tr key={c.agent} data-candidate={c.agent}>
                    <Td className="font-mono">{c.agent}</Td>
                    <Td>{c.status}</Td>
                    <Td className="text-right tabular-nums">{pct(c.ruleScore)}</Td>
                    <Td className="font-mono text-xs">{c.matchedRules.length ? c.matchedRules.join(", ") : "—"}</Td>
                    <Td className="text-right tabular-nums">{pct(c.mlScore)}</Td>
                    <Td className="text-right font-semibold tabular-nums">{c.final.toFixed(3)}</Td>
                    <Td className="text-xs">
                      {c.ml && (
                        <span className="mr-2 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                          {c.ml.type ?? "all types"}: {(c.ml.typeRate * 100).toFixed(0)}%
                        </span>
                      )}
                      {c.terms.slice(0, 3).map((t) => (
                        <span
                          key={t.term}
                          className={`mr-2 whitespace-nowrap ${t.rate === null ? "text-zinc-600 dark:text-zinc-400" : c.ml && t.rate >= c.ml.typeRate ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}
                        >
                          {t.term}{" "}
                          {t.rate === null
                            ? "· no samples yet"
                            : `${t.successes}/${t.trials} (${(t.rate * 100).toFixed(0)}%)`}
                        </span>
                      ))}
                      {!c.ml && !c.terms.length && "—"}
                    </Td>
                  </tr>
                ))}
              </Tbody>
            </Table>
          </Card>
        </>
      )}
    </div>
  );
}
