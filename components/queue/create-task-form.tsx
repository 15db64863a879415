"use client";
// The create-task form: a server action, with each validation error shown next to its field.
import { useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, Textarea, Options } from "@/components/ui/form";
import { KNOWN_TASK_TYPES, PRIORITIES } from "@/lib/queue/schema";
import type { AgentDto } from "@/lib/agents/schema";
import type { CreateTaskResult } from "@/app/(dashboard)/queue/actions";

export function CreateTaskForm({
  agents,
  action,
  onCreated,
}: {
  agents: AgentDto[];
  action: (state: CreateTaskResult, form: FormData) => Promise<CreateTaskResult>;
  onCreated: (taskId: string) => void;
}) {
  const [state, setState] = useState<CreateTaskResult>({ ok: false });
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  // Submitted by hand rather than through `<form action>`, which would clear what the person typed
  // whenever the server sends back validation errors.
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await action(state, data);
      setState(result);
      if (result.ok && result.taskId) {
        form.current?.reset();
        onCreated(result.taskId);
      }
    });
  }
  const err = state.errors ?? {};
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-4" noValidate>
      {state.message && !state.ok && <Alert tone="error">{state.message}</Alert>}
      <Field label="Title" error={err.title}>
        {(p) => (
          <Input {...p} name="title" required maxLength={200} autoFocus placeholder="Research distributed databases" />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Type" hint="research, design, implementation, review, testing, documentation…" error={err.type}>
          {(p) => <Input {...p} name="type" required list="task-types" placeholder="research" />}
        </Field>
        <Field label="Priority" error={err.priority}>
          {(p) => (
            <Select {...p} name="priority" defaultValue="normal">
              <Options values={PRIORITIES} />
            </Select>
          )}
        </Field>
      </div>
      <datalist id="task-types">
        {KNOWN_TASK_TYPES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Assignee" hint="Leave empty to route it." error={err.assignee}>
          {(p) => (
            <Select {...p} name="assignee" defaultValue="">
              <option value="">Route automatically</option>
              {agents.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Max attempts" error={err.maxAttempts}>
          {(p) => <Input {...p} name="maxAttempts" type="number" min={1} max={20} defaultValue={3} />}
        </Field>
      </div>
      <Field label="Depends on" hint="Task ids, separated by commas." error={err.dependsOn}>
        {(p) => <Input {...p} name="dependsOn" placeholder="task-20260205-191704-0001" />}
      </Field>
      <Field label="Description" error={err.description}>
        {(p) => <Textarea {...p} name="description" rows={3} maxLength={10_000} />}
      </Field>
      <div className="flex justify-end pt-1">
        <Button type="submit" loading={pending}>
          Create task
        </Button>
      </div>
    </form>
  );
}
