"use client";
// Create-agent form; server-side validation errors appear next to their fields.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, FormActions, Options } from "@/components/ui/form";
import { api, ApiError } from "@/lib/client/api";
import { AGENT_STATUSES, type AgentDto } from "@/lib/agents/schema";
import { agentKeys } from "./queries";
import { statusLabel } from "./status-badge";

export function AgentForm({ agents, onDone }: { agents: AgentDto[]; onDone: (agent: AgentDto) => void }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<AgentDto>("/agents", { body }),
    onSuccess: (agent) => {
      queryClient.invalidateQueries({ queryKey: agentKeys.all });
      onDone(agent);
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e))),
  });

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const capabilities = String(f.get("capabilities") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    setError(null);
    create.mutate({
      name: String(f.get("name") ?? "").trim(),
      ...(String(f.get("displayName") ?? "").trim() ? { displayName: String(f.get("displayName")).trim() } : {}),
      capabilities,
      fallback: f.get("fallback") ? String(f.get("fallback")) : null,
      status: String(f.get("status") ?? "active"),
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && !error.errors.length && <Alert tone="error">{error.message}</Alert>}
      <Field label="Name" hint="Lowercase letters, digits and dashes, e.g. gemini." error={error?.field("name")}>
        {(p) => <Input {...p} name="name" required autoFocus placeholder="gemini" />}
      </Field>
      <Field label="Display name" error={error?.field("displayName")}>
        {(p) => <Input {...p} name="displayName" placeholder="Gemini CLI" />}
      </Field>
      <Field
        label="Capabilities"
        hint="Comma-separated task types, e.g. research, review."
        error={error?.field("capabilities")}
      >
        {(p) => <Input {...p} name="capabilities" placeholder="research, review" />}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Fallback" error={error?.field("fallback")}>
          {(p) => (
            <Select {...p} name="fallback" defaultValue="">
              <option value="">None</option>
              {agents.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Status" error={error?.field("status")}>
          {(p) => (
            <Select {...p} name="status" defaultValue="active">
              <Options values={AGENT_STATUSES} label={(s) => statusLabel[s]} />
            </Select>
          )}
        </Field>
      </div>
      <FormActions>
        <Button type="submit" loading={create.isPending}>
          Create agent
        </Button>
      </FormActions>
    </form>
  );
}
