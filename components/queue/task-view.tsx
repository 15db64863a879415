"use client";
// One task, live: facts, outcome, dependencies and follow-ups, its history, and the actions people may take.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TaskLog } from "./task-log";
import { Alert, EmptyState } from "@/components/ui/feedback";
import { Select, Options } from "@/components/ui/form";
import { RelativeTime } from "@/components/ui/time";
import { EventList, Sentence, useRuleNames } from "@/components/log/event-list";
import { entity } from "@/lib/audit/sentence";
import { FactList } from "@/components/ui/fact-list";
import { api, ApiError } from "@/lib/client/api";
import type { TaskDetail } from "@/lib/queue/read";
import type { TaskDto } from "@/lib/queue/schema";
import { fetchTask, queueKeys } from "./queries";
import { attemptsUsed, StateBadge, TaskFlags } from "./task-badges";
import { useConfirm } from "@/components/ui/confirm";

function TaskLink({ task }: { task: Pick<TaskDto, "id" | "title" | "state"> }) {
  return (
    <li className="flex items-center justify-between gap-3 py-1.5">
      <Link
        href={`/queue/${task.id}`}
        className="min-w-0 truncate text-sm text-indigo-700 hover:underline dark:text-indigo-400"
      >
        <span className="font-mono text-xs">{task.id}</span> {task.title}
      </Link>
      <StateBadge state={task.state} />
    </li>
  );
}

/** What `fed run` reports of the work in git: the task's branch, its commits and what they changed. */
/** One part of a task's chain: its title, and the tasks in it as links (or what to say when there are none). */
function ChainPart({
  title,
  tasks,
  none,
  testId,
  children,
}: {
  title: string;
  tasks: Pick<TaskDto, "id" | "title" | "state">[];
  none: string;
  testId?: string;
  children?: React.ReactNode;
}) {
  return (
    <div>
      <h3 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{title}</h3>
      {tasks.length ? (
        <ul data-testid={testId}>
          {tasks.map((t) => (
            <TaskLink key={t.id} task={t} />
          ))}
        </ul>
      ) : (
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{none}</p>
      )}
      {children}
    </div>
  );
}

function GitFacts({ output }: { output: unknown }) {
  const git = (output as { git?: { branch?: unknown; commits?: unknown; diffStat?: unknown } } | null)?.git;
  if (!git || typeof git.branch !== "string") return null;
  const commits = Array.isArray(git.commits) ? (git.commits as { sha: string; subject: string }[]) : [];
  const stat = typeof git.diffStat === "string" ? git.diffStat.trim().split("\n").pop() : "";
  return (
    <div className="space-y-1 text-zinc-700 dark:text-zinc-300" data-testid="git-facts">
      <p>
        Branch <span className="font-mono">{git.branch}</span> · {commits.length} commit
        {commits.length === 1 ? "" : "s"}
        {stat ? ` · ${stat}` : ""}
      </p>
      {commits.length > 0 && (
        <ul className="space-y-0.5 font-mono text-xs">
          {commits.slice(0, 10).map((c) => (
            <li key={c.sha} className="[overflow-wrap:anywhere]">
              {c.sha.slice(0, 8)} {c.subject}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function TaskView({
  initial,
  agents,
  canAdmin,
  canCancel,
}: {
  initial: TaskDetail;
  agents: string[];
  canAdmin: boolean;
  canCancel: boolean;
}) {
  const queryClient = useQueryClient();
  const [confirmDialog, ask] = useConfirm();
  const task = useQuery({
    queryKey: queueKeys.one(initial.id),
    queryFn: () => fetchTask(initial.id),
    initialData: initial,
  }).data;
  const related = useQuery({
    queryKey: queueKeys.related(initial.id, [...task.dependsOn, "|", ...task.dependents, "|", task.parentId].join(",")),
    queryFn: async () => {
      const ids = [...task.dependsOn, ...task.dependents, ...(task.parentId ? [task.parentId] : [])];
      const found = await Promise.all(ids.map((id) => api<TaskDto>(`/tasks/${id}`).catch(() => null)));
      return new Map(found.filter((t): t is TaskDto => t !== null).map((t) => [t.id, t]));
    },
  }).data;
  const [assignee, setAssignee] = useState(agents[0] ?? "");
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body?: unknown }) =>
      api<TaskDto>(`/tasks/${task.id}/${path}`, { method: "POST", body: body ?? {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.all }),
  });
  const ruleNames = useRuleNames();
  const routed = task.routing as { agent?: string | null; confidence?: number; method?: string } | null;
  const linkOf = (id: string) => related?.get(id) ?? { id, title: "", state: "pending" as const };
  const facts: [string, React.ReactNode][] = [
    [
      "Type",
      <span key="t" className="font-mono">
        {task.type}
      </span>,
    ],
    [
      "Assignee",
      task.assignee ? (
        <Link
          key="a"
          className="font-mono text-indigo-700 hover:underline dark:text-indigo-400"
          href={`/agents/${task.assignee}`}
        >
          {task.assignee}
        </Link>
      ) : (
        "needs routing"
      ),
    ],
    [
      "Claimed by",
      task.claimedBy ? (
        <Link
          key="cb"
          className="font-mono text-indigo-700 hover:underline dark:text-indigo-400"
          href={`/agents/${task.claimedBy}`}
        >
          {task.claimedBy}
        </Link>
      ) : (
        "—"
      ),
    ],
    // As the history counts them: the attempt in progress is one.
    [
      "Attempts",
      task.state === "in_progress"
        ? `attempt ${attemptsUsed(task)} of ${task.maxAttempts}`
        : `${attemptsUsed(task)} of ${task.maxAttempts} used`,
    ],
    ...(routed
      ? ([
          [
            "Routed",
            `${routed.agent ?? "no agent"}${typeof routed.confidence === "number" ? ` · confidence ${routed.confidence.toFixed(2)}` : ""}${routed.method ? ` · ${routed.method}` : ""}`,
          ],
        ] as [string, React.ReactNode][])
      : []),
    ["Created by", <Sentence key="by" parts={[entity(task.createdBy, { rules: ruleNames })]} />],
    ["Source", { api: "API", manual: "by hand", auto: "auto-scheduling" }[task.source] ?? task.source],
    ["Created", <RelativeTime key="c" iso={task.createdAt} />],
    ["Updated", <RelativeTime key="u" iso={task.updatedAt} />],
    [
      task.state === "failed" ? "Failed" : task.state === "cancelled" ? "Cancelled" : "Completed",
      <RelativeTime key="d" iso={task.completedAt} fallback="—" />,
    ],
  ];
  const history = [...task.events].reverse();

  return (
    <div className="space-y-6">
      {confirmDialog}
      <div className="flex flex-wrap items-center gap-2">
        <StateBadge state={task.state} />
        <TaskFlags task={task} />
      </div>
      {act.error && <Alert tone="error">{act.error instanceof ApiError ? act.error.message : String(act.error)}</Alert>}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {task.outcome && (
            <Card>
              <CardHeader title="Outcome" />
              <CardBody className="space-y-2 text-sm" data-testid="outcome">
                <p
                  className={
                    task.outcome.success
                      ? "font-medium text-emerald-700 dark:text-emerald-400"
                      : "font-medium text-red-700 dark:text-red-400"
                  }
                >
                  {task.outcome.success ? "Succeeded" : "Failed"} · by {String(task.outcome.agent)}
                  {typeof task.outcome.durationMinutes === "number" ? ` · ${task.outcome.durationMinutes} min` : ""}
                  {task.outcome.rework ? " · rework" : ""}
                </p>
                {typeof task.outcome.summary === "string" && (
                  <p className="whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-700 dark:text-zinc-300">
                    {task.outcome.summary}
                  </p>
                )}
                <GitFacts output={task.outcome.output} />
                {task.outcome.output !== undefined && (
                  <pre
                    tabIndex={0}
                    aria-label="Output"
                    className="max-h-64 overflow-auto rounded-md bg-zinc-100 p-3 text-xs focus-visible:outline-2 focus-visible:outline-indigo-500 dark:bg-zinc-950"
                  >
                    {JSON.stringify(task.outcome.output, null, 2)}
                  </pre>
                )}
              </CardBody>
            </Card>
          )}
          <TaskLog id={task.id} state={task.state} changed={task.updatedAt} />
          {task.description && (
            <Card>
              <CardHeader title="Description" />
              <CardBody className="text-sm whitespace-pre-wrap [overflow-wrap:anywhere] text-zinc-700 dark:text-zinc-300">
                {task.description}
              </CardBody>
            </Card>
          )}
          <Card>
            <CardHeader
              title="Chain"
              description="What this task waits on, what waits on it, and the work it spawned."
            />
            <CardBody className="grid grid-cols-1 gap-6 sm:grid-cols-2 [&>*]:min-w-0">
              <ChainPart title="Depends on" tasks={task.dependsOn.map(linkOf)} none="Nothing" />
              <ChainPart title="Needed by" tasks={task.dependents.map(linkOf)} none="Nothing" />
              <ChainPart title="Parent" tasks={task.parentId ? [linkOf(task.parentId)] : []} none="None">
                {task.ruleId && (
                  <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
                    created by{" "}
                    <Link href="/rules" className="text-indigo-700 hover:underline dark:text-indigo-300">
                      rule {ruleNames.get(task.ruleId) ?? task.ruleId}
                    </Link>{" "}
                    · chain depth {task.chainDepth}
                  </p>
                )}
              </ChainPart>
              <ChainPart title="Follow-ups" tasks={task.followUps} none="None yet" testId="follow-ups" />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="History" description="Oldest first." />
            {history.length ? <EventList events={history} /> : <EmptyState title="No events" />}
          </Card>
        </div>
        <div className="space-y-6">
          <FactList facts={facts} />
          {(canAdmin || canCancel) && (
            <Card>
              <CardHeader title="Actions" />
              <CardBody className="space-y-4">
                {(task.state === "pending" || task.state === "in_progress") && canCancel && (
                  <Button
                    variant="danger"
                    className="w-full"
                    loading={act.isPending && act.variables?.path === "cancel"}
                    onClick={async () =>
                      (await ask({
                        title: "Cancel this task?",
                        body: `“${task.title}” leaves the queue; an agent holding it loses its lease.`,
                        action: "Cancel task",
                      })) && act.mutate({ path: "cancel" })
                    }
                  >
                    Cancel task
                  </Button>
                )}
                {canAdmin && (task.state === "failed" || task.state === "cancelled") && (
                  <Button
                    variant="secondary"
                    className="w-full"
                    loading={act.isPending && act.variables?.path === "retry"}
                    onClick={() => act.mutate({ path: "retry" })}
                  >
                    Retry task
                  </Button>
                )}
                {canAdmin && (task.state === "pending" || task.state === "failed") && (
                  <div className="space-y-2">
                    <label className="block text-sm font-medium" htmlFor="reassign">
                      Reassign to
                    </label>
                    <div className="flex gap-2">
                      <Select id="reassign" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                        <Options values={agents} />
                      </Select>
                      <Button
                        variant="secondary"
                        loading={act.isPending && act.variables?.path === "reassign"}
                        onClick={() => act.mutate({ path: "reassign", body: { assignee } })}
                      >
                        Reassign
                      </Button>
                    </div>
                  </div>
                )}
                {task.state === "completed" && (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">Completed tasks are final.</p>
                )}
                {(task.state === "failed" || task.state === "cancelled") && !canAdmin && (
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">An admin can retry or reassign it.</p>
                )}
              </CardBody>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
