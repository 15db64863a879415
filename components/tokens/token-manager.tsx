"use client";
// Bearer tokens, for an agent or for oneself: issue one with a name and an optional expiry (shown once, to copy),
// list them with their last use, revoke. One component for both kinds, so they look and behave alike.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { useConfirm } from "@/components/ui/confirm";
import { Alert, EmptyState, Spinner } from "@/components/ui/feedback";
import { Input, Select } from "@/components/ui/form";
import { ShownOnce } from "@/components/ui/shown-once";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { useNow } from "@/components/ui/use-now";
import { ApiError } from "@/lib/client/api";

export interface TokenRow {
  /** what revoking names: an id, or the prefix */
  key: string;
  prefix: string;
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt?: string | null;
}

export interface IssueBody {
  name: string;
  expiresInDays?: number;
}

const EXPIRY = [
  ["", "never expires"],
  ["7", "expires in 7 days"],
  ["30", "expires in 30 days"],
  ["90", "expires in 90 days"],
  ["365", "expires in a year"],
] as const;

export function TokenManager({
  title,
  description,
  queryKey,
  list,
  issue,
  revoke,
  empty,
  revokeWarning,
  namePlaceholder,
}: {
  title: string;
  description: React.ReactNode;
  queryKey: readonly unknown[];
  list: () => Promise<TokenRow[]>;
  issue: (body: IssueBody) => Promise<{ token: string }>;
  revoke: (row: TokenRow) => Promise<unknown>;
  empty: string;
  revokeWarning: string;
  namePlaceholder: string;
}) {
  const queryClient = useQueryClient();
  const [confirmDialog, ask] = useConfirm();
  const [issued, setIssued] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [days, setDays] = useState("");
  const tokens = useQuery({ queryKey, queryFn: list });
  const refresh = () => queryClient.invalidateQueries({ queryKey });
  const create = useMutation({
    mutationFn: () => issue({ name: name.trim(), ...(days ? { expiresInDays: Number(days) } : {}) }),
    onSuccess: (t) => {
      setIssued(t.token);
      setName("");
      void refresh();
    },
  });
  const remove = useMutation({ mutationFn: revoke, onSuccess: () => void refresh() });
  const error = create.error ?? remove.error;
  const nameError = create.error instanceof ApiError ? create.error.field("name") : undefined;
  const now = useNow(60_000);

  return (
    <Card aria-labelledby="tokens-title">
      {confirmDialog}
      <CardHeader id="tokens-title" title={title} description={description} />
      <form
        className="flex flex-wrap items-end gap-2 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <label className="min-w-0 flex-1 basis-48 text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span className="mb-1 block">Token name</span>
          <Input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={namePlaceholder}
            aria-invalid={nameError ? true : undefined}
            maxLength={80}
          />
        </label>
        <label className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          <span className="mb-1 block">Expiry</span>
          <Select value={days} onChange={(e) => setDays(e.target.value)} className="w-44">
            {EXPIRY.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </Select>
        </label>
        <Button type="submit" loading={create.isPending}>
          Issue token
        </Button>
      </form>
      {error && (
        <Alert tone="error" className="m-5">
          {error instanceof ApiError ? error.message : String(error)}
        </Alert>
      )}
      {issued && (
        <ShownOnce
          key={issued}
          className="m-5"
          title="Copy this token now: it will not be shown again."
          value={issued}
          testId="issued-token"
        />
      )}
      {tokens.isPending ? (
        <div className="p-5">
          <Spinner />
        </div>
      ) : !tokens.data?.length ? (
        <EmptyState title="No tokens yet">{empty}</EmptyState>
      ) : (
        <Table aria-label={title}>
          <Thead columns={["Token", "Created", "Expires", "Last used", "State"]} actions />
          <Tbody>
            {tokens.data.map((t) => {
              const expired = now !== null && !!t.expiresAt && new Date(t.expiresAt).getTime() <= now;
              return (
                <tr key={t.key} data-token={t.prefix}>
                  <Td>
                    <span className="font-medium">{t.name ?? "unnamed"}</span>{" "}
                    <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{t.prefix}…</span>
                  </Td>
                  <Td>
                    <RelativeTime iso={t.createdAt} />
                  </Td>
                  <Td>
                    <RelativeTime iso={t.expiresAt} fallback="never" />
                  </Td>
                  <Td>
                    <RelativeTime iso={t.lastUsedAt} />
                  </Td>
                  <Td>
                    {t.revokedAt ? (
                      <Badge tone="red">Revoked</Badge>
                    ) : expired ? (
                      <Badge tone="gray">Expired</Badge>
                    ) : (
                      <Badge tone="green">Valid</Badge>
                    )}
                  </Td>
                  <Td className="text-right">
                    {!t.revokedAt && (
                      <Button
                        size="sm"
                        variant="danger"
                        loading={remove.isPending && remove.variables?.key === t.key}
                        onClick={async () => {
                          if (
                            await ask({
                              title: `Revoke token ${t.name ?? t.prefix}?`,
                              body: revokeWarning,
                              action: "Revoke token",
                            })
                          )
                            remove.mutate(t);
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              );
            })}
          </Tbody>
        </Table>
      )}
    </Card>
  );
}
