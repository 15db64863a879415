"use client";
// Create or edit an auto-scheduling rule; the server's validation errors show next to their fields.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, Options } from "@/components/ui/form";
import { ApiError } from "@/lib/client/api";
import { KNOWN_TASK_TYPES, PRIORITIES, VERDICTS } from "@/lib/queue/schema";
import type { FollowUpSpec, ScheduleRuleDto } from "@/lib/scheduling/schema";

type Draft = {
  name: string;
  enabled: boolean;
  when: { type: string; agent: string; success: boolean; verdict: string };
  then: { type: string; assignee: string; titleTemplate: string; priority: string; dependsOnSource: boolean }[];
  maxChainDepth: number;
};

const emptyFollowUp = () => ({
  type: "review",
  assignee: "",
  titleTemplate: "Follow up: {{title}}",
  priority: "inherit",
  dependsOnSource: true,
});

function toDraft(rule?: ScheduleRuleDto): Draft {
  if (!rule)
    return {
      name: "",
      enabled: true,
      when: { type: "research", agent: "", success: true, verdict: "" },
      then: [emptyFollowUp()],
      maxChainDepth: 5,
    };
  return {
    name: rule.name,
    enabled: rule.enabled,
    when: {
      type: rule.when.type,
      agent: rule.when.agent ?? "",
      success: rule.when.success,
      verdict: rule.when.verdict ?? "",
    },
    then: rule.then.map((t: FollowUpSpec) => ({
      type: t.type,
      assignee: t.assignee ?? "",
      titleTemplate: t.titleTemplate,
      priority: t.priority,
      dependsOnSource: t.dependsOnSource,
    })),
    maxChainDepth: rule.maxChainDepth,
  };
}

export function toBody(d: Draft) {
  return {
    name: d.name,
    enabled: d.enabled,
    when: {
      type: d.when.type,
      agent: d.when.agent || null,
      success: d.when.success,
      verdict: (d.when.verdict || null) as (typeof VERDICTS)[number] | null,
    },
    then: d.then.map((t) => ({ ...t, assignee: t.assignee || null })),
    maxChainDepth: d.maxChainDepth,
  };
}

export type RuleBody = ReturnType<typeof toBody>;

/**
 * What an edit changed, field by field (a whole `when` or `then` when any part of it changed): a save sends only
 * this, so nothing the form does not show can be lost. Empty when nothing changed.
 */
export function changedFields(before: RuleBody, after: RuleBody): Partial<RuleBody> {
  const out: Partial<RuleBody> = {};
  for (const k of Object.keys(after) as (keyof RuleBody)[])
    if (JSON.stringify(after[k]) !== JSON.stringify(before[k])) Object.assign(out, { [k]: after[k] });
  return out;
}

export const verdictLabel = (v: string) => v.replace("_", " ");

export function RuleForm({
  rule,
  agents,
  onSubmit,
  pending,
  error,
}: {
  rule?: ScheduleRuleDto;
  agents: string[];
  onSubmit: (body: Partial<RuleBody>) => void;
  pending: boolean;
  error: ApiError | null;
}) {
  const [d, setD] = useState<Draft>(() => toDraft(rule));
  const err = (path: string) => error?.field(path);
  const setThen = (i: number, patch: Partial<Draft["then"][number]>) =>
    setD((x) => ({ ...x, then: x.then.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  const types = [...KNOWN_TASK_TYPES];

  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(rule ? changedFields(toBody(toDraft(rule)), toBody(d)) : toBody(d));
      }}
    >
      {error && <Alert tone="error">{error.message}</Alert>}
      <Field label="Name" error={err("name")}>
        {(p) => <Input {...p} value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} autoFocus />}
      </Field>
      <fieldset className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
        <legend className="px-1 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
          When a task finishes
        </legend>
        <div className="grid gap-3 sm:grid-cols-4">
          <Field label="Of type" error={err("when.type")}>
            {(p) => (
              <Input
                {...p}
                list="rule-types"
                value={d.when.type}
                onChange={(e) => setD({ ...d, when: { ...d.when, type: e.target.value } })}
              />
            )}
          </Field>
          <Field label="By agent" error={err("when.agent")}>
            {(p) => (
              <Select
                {...p}
                value={d.when.agent}
                onChange={(e) => setD({ ...d, when: { ...d.when, agent: e.target.value } })}
              >
                <option value="">any agent</option>
                <Options values={agents} />
              </Select>
            )}
          </Field>
          <Field label="With result">
            {(p) => (
              <Select
                {...p}
                value={d.when.success ? "success" : "failure"}
                onChange={(e) => setD({ ...d, when: { ...d.when, success: e.target.value === "success" } })}
              >
                <option value="success">success</option>
                <option value="failure">failure</option>
              </Select>
            )}
          </Field>
          <Field label="With verdict" error={err("when.verdict")}>
            {(p) => (
              <Select
                {...p}
                value={d.when.verdict}
                onChange={(e) => setD({ ...d, when: { ...d.when, verdict: e.target.value } })}
              >
                <option value="">any verdict</option>
                <Options values={VERDICTS} label={verdictLabel} />
              </Select>
            )}
          </Field>
        </div>
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          A verdict is what a review reports: a rule with one fires only on completions that carry it.
        </p>
      </fieldset>
      <datalist id="rule-types">
        {types.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      {d.then.map((t, i) => (
        <fieldset key={i} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <legend className="px-1 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
            Then create follow-up {d.then.length > 1 ? i + 1 : ""}
          </legend>
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label="Type" error={err(`then.${i}.type`)}>
              {(p) => (
                <Input {...p} list="rule-types" value={t.type} onChange={(e) => setThen(i, { type: e.target.value })} />
              )}
            </Field>
            <Field label="Assignee" error={err(`then.${i}.assignee`)}>
              {(p) => (
                <Select {...p} value={t.assignee} onChange={(e) => setThen(i, { assignee: e.target.value })}>
                  <option value="">route automatically</option>
                  <option value="{{agent}}">the agent that finished</option>
                  <option value="{{parent.agent}}">the agent of its parent</option>
                  <Options values={agents} />
                </Select>
              )}
            </Field>
            <Field label="Priority" error={err(`then.${i}.priority`)}>
              {(p) => (
                <Select {...p} value={t.priority} onChange={(e) => setThen(i, { priority: e.target.value })}>
                  <option value="inherit">inherit</option>
                  {PRIORITIES.map((x) => (
                    <option key={x} value={x}>
                      at least {x}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Field
            className="mt-3"
            label="Title template"
            hint="Use {{title}}, {{type}}, {{agent}}, {{id}}."
            error={err(`then.${i}.titleTemplate`)}
          >
            {(p) => (
              <Input {...p} value={t.titleTemplate} onChange={(e) => setThen(i, { titleTemplate: e.target.value })} />
            )}
          </Field>
          <div className="mt-3 flex items-center justify-between">
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="size-4 accent-indigo-600"
                checked={t.dependsOnSource}
                onChange={(e) => setThen(i, { dependsOnSource: e.target.checked })}
              />
              Depends on the finished task
            </label>
            {d.then.length > 1 && (
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => setD({ ...d, then: d.then.filter((_, j) => j !== i) })}
              >
                Remove
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Button
          type="button"
          variant="secondary"
          size="sm"
          onClick={() => setD({ ...d, then: [...d.then, emptyFollowUp()] })}
        >
          Add another follow-up
        </Button>
        <Field label="Max chain depth" error={err("maxChainDepth")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              max={20}
              className="w-24"
              value={d.maxChainDepth}
              onChange={(e) => setD({ ...d, maxChainDepth: Number(e.target.value) })}
            />
          )}
        </Field>
      </div>
      <div className="flex justify-end pt-1">
        <Button type="submit" loading={pending}>
          {rule ? "Save rule" : "Create rule"}
        </Button>
      </div>
    </form>
  );
}
