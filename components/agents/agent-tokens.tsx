"use client";
// An agent's bearer tokens: issue (named, optionally expiring, shown once), list with last use, revoke.
import { api } from "@/lib/client/api";
import type { IssuedToken, TokenDto } from "@/lib/agents/schema";
import { TokenManager } from "@/components/tokens/token-manager";
import { agentKeys, fetchTokens } from "./queries";

export function AgentTokens({ agent }: { agent: string }) {
  return (
    <TokenManager
      title="Tokens"
      description="Agents call the API with the header Authorization: Bearer <token>; each acts only as this agent."
      queryKey={agentKeys.tokens(agent)}
      list={async () => (await fetchTokens(agent)).map((t: TokenDto) => ({ ...t, key: t.id }))}
      issue={({ name, expiresInDays }) =>
        api<IssuedToken>(`/agents/${agent}/tokens`, {
          body: { ...(name ? { name } : {}), ...(expiresInDays ? { expiresInDays } : {}) },
        })
      }
      revoke={(t) => api(`/agents/${agent}/tokens/${t.key}`, { method: "DELETE" })}
      empty="Issue a token so this agent can claim work."
      revokeWarning="Agents using it are locked out at once. This cannot be undone."
      namePlaceholder="where it runs, e.g. ci runner (optional)"
    />
  );
}
