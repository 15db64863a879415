"use client";
// An admin edits an agent's display name, capabilities and fallback (cycles are refused by the API).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, Form, Options } from "@/components/ui/form";
import { api, ApiError } from "@/lib/client/api";
import type { AgentDto } from "@/lib/agents/schema";
import { agentKeys } from "./queries";

export function AgentSettings({ agent, others }: { agent: AgentDto; others: string[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<AgentDto>(`/agents/${agent.name}`, { method: "PATCH", body }),
    onSuccess: () => {
      setError(null);
      setSaved(true);
      void queryClient.invalidateQueries({ queryKey: agentKeys.all });
      router.refresh();
    },
    onError: (e) => {
      setSaved(false);
      setError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e)));
    },
  });
  return (
    <Card>
      <CardHeader title="Settings" description="Only admins see this." />
      <CardBody>
        <Form
          onSubmit={(f) => {
            setSaved(false);
            save.mutate({
              displayName: String(f.get("displayName") ?? "").trim(),
              capabilities: String(f.get("capabilities") ?? "")
                .split(",")
                .map((s) => s.trim())
                .filter(Boolean),
              fallback: f.get("fallback") ? String(f.get("fallback")) : null,
            });
          }}
        >
          {saved && <Alert tone="success">Saved.</Alert>}
          {error && !error.errors.length && <Alert tone="error">{error.message}</Alert>}
          <Field label="Display name" error={error?.field("displayName")}>
            {(p) => <Input {...p} name="displayName" defaultValue={agent.displayName} required />}
          </Field>
          <Field label="Capabilities" hint="Comma-separated." error={error?.field("capabilities")}>
            {(p) => <Input {...p} name="capabilities" defaultValue={agent.capabilities.join(", ")} />}
          </Field>
          <Field label="Fallback" hint="Works for this agent while it is away." error={error?.field("fallback")}>
            {(p) => (
              <Select {...p} name="fallback" defaultValue={agent.fallback ?? ""}>
                <option value="">None</option>
                <Options values={others} />
              </Select>
            )}
          </Field>
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
        </Form>
      </CardBody>
    </Card>
  );
}
