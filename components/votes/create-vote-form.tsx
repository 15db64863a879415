"use client";
// Open a vote: the question, its options, who votes, when it closes, how it is counted.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, Textarea, Form, FormActions } from "@/components/ui/form";
import { ApiError } from "@/lib/client/api";
import type { VoteDto } from "@/lib/voting/schema";
import { openVote } from "./queries";

export function CreateVoteForm({
  agents,
  onCreated,
}: {
  agents: { name: string; status: string }[];
  onCreated: (v: VoteDto) => void;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [voters, setVoters] = useState<Set<string>>(
    new Set(agents.filter((a) => a.status === "active").map((a) => a.name)),
  );
  const create = useMutation({
    mutationFn: openVote,
    onSuccess: onCreated,
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e))),
  });
  return (
    <Form
      onSubmit={(f) => {
        setError(null);
        const options = String(f.get("options") ?? "")
          .split("\n")
          .map((o) => o.trim())
          .filter(Boolean);
        const minutes = Number(f.get("closesIn") ?? 0);
        const quorum = Number(f.get("quorum") ?? 0);
        create.mutate({
          question: String(f.get("question") ?? ""),
          options,
          voters: [...voters],
          method: String(f.get("method")) as "weighted_confidence" | "simple_majority",
          threshold: Number(f.get("threshold")),
          requireRationale: f.get("requireRationale") === "on",
          ...(minutes > 0 ? { closesAt: new Date(Date.now() + minutes * 60_000).toISOString() } : {}),
          ...(quorum > 0 ? { quorum } : {}),
        });
      }}
    >
      {error && !error.errors.length && <Alert tone="error">{error.message}</Alert>}
      <Field label="Question" error={error?.field("question")}>
        {(p) => <Input {...p} name="question" required autoFocus placeholder="Which language for the CLI?" />}
      </Field>
      <Field label="Options" hint="One per line, 2 to 10." error={error?.field("options")}>
        {(p) => <Textarea {...p} name="options" required rows={3} placeholder={"python\ntypescript"} />}
      </Field>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Voters</legend>
        <div className="flex flex-wrap gap-2">
          {agents.map((a) => (
            <label
              key={a.name}
              className="flex items-center gap-1.5 rounded-md border border-zinc-300 px-2 py-1 text-sm dark:border-zinc-700"
            >
              <input
                type="checkbox"
                className="accent-indigo-600"
                checked={voters.has(a.name)}
                onChange={(e) =>
                  setVoters((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(a.name);
                    else next.delete(a.name);
                    return next;
                  })
                }
              />
              {a.name}
            </label>
          ))}
        </div>
        {error?.field("voters") && (
          <p className="mt-1 text-xs font-medium text-red-600 dark:text-red-400">{error.field("voters")}</p>
        )}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Closes in (minutes)"
          hint="Empty: when everyone has voted, or by hand."
          error={error?.field("closesAt")}
        >
          {(p) => <Input {...p} name="closesIn" type="number" min={1} placeholder="60" />}
        </Field>
        <Field label="Counting" error={error?.field("method")}>
          {(p) => (
            <Select {...p} name="method" defaultValue="weighted_confidence">
              <option value="weighted_confidence">Weighted by confidence</option>
              <option value="simple_majority">Simple majority</option>
            </Select>
          )}
        </Field>
        <Field label="Confidence threshold" hint="Below it, a person decides." error={error?.field("threshold")}>
          {(p) => <Input {...p} name="threshold" type="number" step="0.05" min={0} max={1} defaultValue="0.70" />}
        </Field>
        <Field label="Quorum" hint="Optional: fewer ballots at the close escalate." error={error?.field("quorum")}>
          {(p) => <Input {...p} name="quorum" type="number" min={1} placeholder="none" />}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="requireRationale" className="accent-indigo-600" /> Every voter must give a
        rationale
      </label>
      <FormActions>
        <Button type="submit" loading={create.isPending}>
          Open vote
        </Button>
      </FormActions>
    </Form>
  );
}
