"use client";
// An agent's bearer tokens: issue (shown once), list with last use, revoke.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert, EmptyState, Spinner } from "@/components/ui/feedback";
import { Table, Tbody, Td, Th } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { api, ApiError } from "@/lib/client/api";
import type { IssuedToken, TokenDto } from "@/lib/agents/schema";
import { agentKeys, fetchTokens } from "./queries";
import { useConfirm } from "@/components/ui/confirm";

export function AgentTokens({ agent }: { agent: string }) {
  const queryClient = useQueryClient();
  const [confirmDialog, ask] = useConfirm();
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [copied, setCopied] = useState(false);
  const tokens = useQuery({
    queryKey: agentKeys.tokens(agent),
    queryFn: () => fetchTokens(agent),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: agentKeys.tokens(agent) });
  const issue = useMutation({
    mutationFn: () => api<IssuedToken>(`/agents/${agent}/tokens`, { method: "POST" }),
    onSuccess: (t) => {
      setIssued(t);
      setCopied(false);
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<TokenDto>(`/agents/${agent}/tokens/${id}`, { method: "DELETE" }),
    onSuccess: refresh,
  });
  const error = issue.error ?? revoke.error;

  return (
    <Card aria-labelledby="tokens-title">
      {confirmDialog}
      <CardHeader
        id="tokens-title"
        title="Tokens"
        description="Agents call the API with the header Authorization: Bearer <token>."
        actions={
          <Button onClick={() => issue.mutate()} loading={issue.isPending}>
            Issue token
          </Button>
        }
      />
      {error && (
        <Alert tone="error" className="m-5">
          {error instanceof ApiError ? error.message : String(error)}
        </Alert>
      )}
      {issued && (
        <Alert tone="success" className="m-5" title="Copy this token now: it will not be shown again.">
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <code
              data-testid="issued-token"
              className="rounded bg-white/70 px-2 py-1 font-mono text-xs break-all text-zinc-900 dark:bg-black/30 dark:text-zinc-100"
            >
              {issued.token}
            </code>
            <Button
              size="sm"
              variant="secondary"
              onClick={async () => {
                await navigator.clipboard?.writeText(issued.token).catch(() => {});
                setCopied(true);
              }}
            >
              {copied ? "Copied" : "Copy"}
            </Button>
          </div>
        </Alert>
      )}
      {tokens.isPending ? (
        <div className="p-5">
          <Spinner />
        </div>
      ) : !tokens.data?.length ? (
        <EmptyState title="No tokens yet">Issue a token so this agent can claim work.</EmptyState>
      ) : (
        <Table aria-label="Tokens">
          <thead>
            <tr>
              <Th>Token</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>State</Th>
              <Th className="text-right">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <Tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} data-token={t.prefix}>
                <Td className="font-mono text-xs">{t.prefix}…</Td>
                <Td>
                  <RelativeTime iso={t.createdAt} />
                </Td>
                <Td>
                  <RelativeTime iso={t.lastUsedAt} />
                </Td>
                <Td>{t.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Valid</Badge>}</Td>
                <Td className="text-right">
                  {!t.revokedAt && (
                    <Button
                      size="sm"
                      variant="danger"
                      loading={revoke.isPending && revoke.variables === t.id}
                      onClick={async () => {
                        if (
                          await ask({
                            title: `Revoke token ${t.prefix}…?`,
                            body: "Agents using it are locked out at once. This cannot be undone.",
                            action: "Revoke token",
                          })
                        )
                          revoke.mutate(t.id);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Card>
  );
}
