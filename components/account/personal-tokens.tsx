"use client";
// Your own API tokens, for the `fed` CLI and scripts: they act as you, with your role.
import { api } from "@/lib/client/api";
import type { IssuedPersonalToken, PersonalTokenDto } from "@/lib/users/tokens";
import { TokenManager } from "@/components/tokens/token-manager";

const KEY = ["me", "tokens"] as const;

export function PersonalTokens() {
  return (
    <TokenManager
      title="Personal API tokens"
      description={
        <>
          For the <code className="font-mono text-xs">fed</code> CLI and your scripts:{" "}
          <code className="font-mono text-xs">FED_TOKEN=fedu_… fed escalations list</code>. A token acts as you, with
          your role, until it expires or you revoke it.
        </>
      }
      queryKey={KEY}
      list={async () =>
        (await api<{ items: PersonalTokenDto[] }>("/me/tokens")).items.map((t) => ({ ...t, key: t.prefix }))
      }
      issue={(body) => api<IssuedPersonalToken>("/me/tokens", { body })}
      revoke={(t) => api(`/me/tokens/${t.key}`, { method: "DELETE" })}
      empty="Issue one to use the CLI or a script as yourself."
      revokeWarning="Anything using it is locked out at once. This cannot be undone."
      namePlaceholder="where you use it, e.g. laptop"
    />
  );
}
