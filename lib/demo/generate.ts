// A realistic generated history for `npm run demo`: weeks of tasks across the seed's agents, each agent good at
// some task types and weaker at others (one clearly weak spot for the optimizer to find), auto-scheduled
// follow-ups, routing decisions, failures and escalations, votes settled by agents or decided by a person.
// Votes are resolved by the product's own resolution; whatever the clock, the history ends with work waiting for a
// person (open escalations of every kind, open votes) and every agent seen recently.
// Pure: the same seed gives the same history.
import { escalationReason, resolveVote, type VoteRules } from "@/lib/voting/resolve";
import { KNOWN_TASK_TYPES } from "@/lib/queue/schema";
import type { AuditAction } from "@/lib/audit/actions";
import { seededRandom } from "@/lib/random";

export interface DemoTask {
  id: string;
  title: string;
  description: string;
  type: string;
  priority: "low" | "normal" | "high" | "urgent";
  state: "pending" | "in_progress" | "completed" | "failed" | "cancelled";
  assignee: string | null;
  claimedBy: string | null;
  source: "manual" | "auto" | "api";
  parentId: string | null;
  chainDepth: number;
  attempts: number;
  routing: { agent: string; confidence: number; method: "hybrid" } | null;
  createdAt: Date;
  claimedAt: Date | null;
  completedAt: Date | null;
  leaseExpiresAt: Date | null;
  outcome: { agent: string; success: boolean; durationMinutes: number; rework: boolean; summary: string } | null;
}

export interface DemoVote {
  id: string;
  question: string;
  options: string[];
  voters: string[];
  status: "open" | "decided" | "escalated";
  ballots: { voter: string; option: string; confidence: number; rationale: string; at: Date }[];
  result: Record<string, unknown> | null;
  decidedBy: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  closesAt: Date | null;
}

export interface DemoEscalation {
  id: string;
  kind: "vote" | "task" | "routing";
  subjectId: string;
  reason: string;
  state: "open" | "resolved";
  resolution: Record<string, unknown> | null;
  resolvedBy: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
}

export interface DemoOutcome {
  taskId: string;
  agent: string;
  taskType: string;
  success: boolean;
  durationMinutes: number;
  rework: boolean;
  description: string;
  routedAgent: string | null;
  at: Date;
}

export interface DemoEvent {
  at: Date;
  actor: string;
  action: AuditAction;
  subject: string;
  details: Record<string, unknown>;
}

export interface DemoHistory {
  /** when each agent last did something (its `lastSeenAt`) */
  lastSeen: Record<string, Date>;
  tasks: DemoTask[];
  outcomes: DemoOutcome[];
  votes: DemoVote[];
  escalations: DemoEscalation[];
  events: DemoEvent[];
}

/** Each agent's chance of success per task type; types not listed fall back to `*`. */
export const SKILLS: Record<string, Record<string, number>> = {
  claude: { research: 0.93, design: 0.9, review: 0.9, documentation: 0.8, "*": 0.7 },
  "copilot-opus": { research: 0.86, design: 0.84, review: 0.85, "*": 0.68 },
  kimi: { implementation: 0.88, deployment: 0.84, refactor: 0.78, testing: 0.76, "*": 0.62 },
  "kimi-ide": { refactor: 0.9, debugging: 0.88, implementation: 0.8, "*": 0.64 },
  copilot: { testing: 0.91, implementation: 0.82, "*": 0.66 },
  // The optimizer's find: ollama is fine at documentation and poor at implementation.
  ollama: { documentation: 0.84, implementation: 0.34, "*": 0.55 },
};

const TYPES = KNOWN_TASK_TYPES;
const WEIGHT: Record<(typeof TYPES)[number], number> = {
  research: 10,
  design: 6,
  implementation: 22,
  review: 12,
  testing: 12,
  documentation: 10,
  debugging: 9,
  refactor: 9,
  deployment: 5,
};
/** Who the router usually sends each type to. */
const ROUTED: Record<(typeof TYPES)[number], string[]> = {
  research: ["claude", "claude", "copilot-opus"],
  design: ["claude", "copilot-opus"],
  implementation: ["kimi", "kimi", "copilot", "kimi-ide", "ollama"],
  review: ["claude", "copilot-opus"],
  testing: ["copilot", "copilot", "kimi"],
  documentation: ["ollama", "ollama", "claude"],
  debugging: ["kimi-ide", "kimi-ide", "kimi"],
  refactor: ["kimi-ide", "kimi"],
  deployment: ["kimi"],
};
const SUBJECTS = [
  "the payment webhook",
  "the CLI",
  "the queue console",
  "the routing model",
  "the auth flow",
  "the S3 uploader",
  "the billing page",
  "the search index",
  "the voting booth",
  "the Ollama bridge",
  "the Postgres schema",
  "the React dashboard",
];
const TITLE: Record<(typeof TYPES)[number], string[]> = {
  research: ["Research options for {s}", "Compare libraries for {s}", "Investigate latency in {s}"],
  design: ["Design the API of {s}", "Propose a schema for {s}"],
  implementation: ["Implement {s}", "Build the endpoint for {s}", "Add retries to {s}"],
  review: ["Review the pull request for {s}", "Audit {s} for security"],
  testing: ["Write tests for {s}", "Raise coverage of {s}"],
  documentation: ["Document {s}", "Write the changelog for {s}"],
  debugging: ["Fix the flaky test in {s}", "Diagnose the race in {s}"],
  refactor: ["Refactor {s}", "Clean up {s}"],
  deployment: ["Deploy {s}", "Write the Dockerfile for {s}"],
};
const DURATION: Record<(typeof TYPES)[number], number> = {
  research: 55,
  design: 45,
  implementation: 70,
  review: 25,
  testing: 35,
  documentation: 20,
  debugging: 50,
  refactor: 40,
  deployment: 30,
};

const MAX_ATTEMPTS = 3;

function stamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function generateHistory(
  options: { now?: Date; days?: number; tasksPerDay?: number; seed?: number } = {},
): DemoHistory {
  const now = options.now ?? new Date();
  const days = options.days ?? 42;
  const perDay = options.tasksPerDay ?? 70;
  const random = seededRandom(options.seed ?? 20260205);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number) => random() < p;
  const seqs = new Map<string, number>();
  const idFor = (prefix: string, at: Date) => {
    const key = `${prefix}-${stamp(at)}`;
    const n = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, n);
    return `${key}-${String(n).padStart(4, "0")}`;
  };
  const weighted = () => {
    let r = random() * Object.values(WEIGHT).reduce((a, b) => a + b, 0);
    for (const t of TYPES) if ((r -= WEIGHT[t]) < 0) return t;
    return "implementation";
  };
  const skill = (agent: string, type: string) => SKILLS[agent]?.[type] ?? SKILLS[agent]?.["*"] ?? 0.6;
  const history: DemoHistory = { lastSeen: {}, tasks: [], outcomes: [], votes: [], escalations: [], events: [] };
  const event = (
    at: Date,
    actor: string,
    action: AuditAction,
    subject: string,
    details: Record<string, unknown> = {},
  ) => history.events.push({ at, actor, action, subject, details });

  const start = now.getTime() - days * 86_400_000;
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * 86_400_000;
    const count = Math.round(perDay * (0.75 + random() * 0.5) * (new Date(dayStart).getUTCDay() % 6 === 0 ? 0.4 : 1));
    for (let i = 0; i < count; i++) {
      const createdAt = new Date(dayStart + random() * 86_400_000 * 0.95);
      if (createdAt > now) continue;
      const type = weighted();
      const subject = pick(SUBJECTS);
      const routed = chance(0.75);
      const agent = pick(ROUTED[type]);
      const manual = !routed && chance(0.5);
      const task: DemoTask = {
        id: idFor("task", createdAt),
        title: pick(TITLE[type]).replace("{s}", subject),
        description: `Work on ${subject} (${type}).`,
        type,
        priority: chance(0.08) ? "urgent" : chance(0.2) ? "high" : chance(0.15) ? "low" : "normal",
        state: "pending",
        assignee: agent,
        claimedBy: null,
        source: manual ? "manual" : "api",
        parentId: null,
        chainDepth: 0,
        attempts: 0,
        routing: routed
          ? { agent, confidence: Math.round((0.55 + random() * 0.4) * 100) / 100, method: "hybrid" }
          : null,
        createdAt,
        claimedAt: null,
        completedAt: null,
        leaseExpiresAt: null,
        outcome: null,
      };
      history.tasks.push(task);
      event(createdAt, manual ? "admin@federation.local" : "admin-token", "task.created", `task:${task.id}`, {
        title: task.title,
        type,
        assignee: agent,
        ...(task.routing ? { routing: task.routing } : {}),
      });
      finish(task, now);
      // Research that succeeds is followed by an implementation task, as the seed's first rule does.
      if (task.state === "completed" && (type === "research" || type === "implementation") && chance(0.7)) {
        const followType = type === "research" ? "implementation" : "review";
        const followAt = new Date(task.completedAt!.getTime() + 1000);
        if (followAt < now) {
          const followAgent = pick(ROUTED[followType]);
          const follow: DemoTask = {
            ...task,
            id: idFor("task", followAt),
            title: `${followType === "implementation" ? "Implement" : "Review"}: ${task.title}`,
            description: `Follow-up of ${task.id} “${task.title}” (${type}, completed by ${task.claimedBy}).\n\nSummary: ${task.outcome?.summary ?? "Done."}`,
            type: followType,
            assignee: followAgent,
            claimedBy: null,
            source: "auto",
            parentId: task.id,
            chainDepth: 1,
            attempts: 0,
            routing: { agent: followAgent, confidence: 0.8, method: "hybrid" },
            createdAt: followAt,
            state: "pending",
            claimedAt: null,
            completedAt: null,
            leaseExpiresAt: null,
            outcome: null,
          };
          history.tasks.push(follow);
          event(followAt, "rule:demo", "task.created", `task:${follow.id}`, {
            title: follow.title,
            type: followType,
            assignee: followAgent,
            source: "auto",
            parent: task.id,
          });
          finish(follow, now);
        }
      }
    }
    // Now and then a person moves a waiting task to another agent by hand.
    const today = history.tasks.filter((t) => t.createdAt.getTime() >= dayStart && t.state === "completed");
    if (today.length && chance(0.35)) {
      const t = pick(today);
      const to = pick(Object.keys(SKILLS).filter((a) => a !== t.assignee));
      event(new Date(t.createdAt.getTime() + 60_000), "admin@federation.local", "task.reassigned", `task:${t.id}`, {
        from: t.assignee,
        to,
        note: "balancing the load",
      });
    }
    // One or two votes a day; most settle themselves.
    for (let v = 0; v < 1 + Math.floor(random() * 2); v++) {
      const createdAt = new Date(dayStart + random() * 86_400_000 * 0.8);
      if (createdAt > now) continue;
      vote(createdAt, now);
    }
  }
  waitingForAPerson(now);
  for (const e of history.events)
    if (SKILLS[e.actor] && !(history.lastSeen[e.actor]! > e.at)) history.lastSeen[e.actor] = e.at;
  return history;

  /**
   * The work a person finds on arrival, whatever the clock did to the random part: a task out of attempts, a task
   * the router had no evidence for, a tied vote and an unsure one waiting for a decision, and two votes still open.
   */
  function waitingForAPerson(until: Date): void {
    const ago = (minutes: number) => new Date(until.getTime() - minutes * 60_000);
    const failing: DemoTask = {
      id: idFor("task", ago(95)),
      title: "Add retries to the S3 uploader",
      description: "Uploads of large files time out behind the corporate proxy; retry with backoff.",
      type: "implementation",
      priority: "high",
      state: "pending",
      assignee: "ollama",
      claimedBy: null,
      source: "api",
      parentId: null,
      chainDepth: 0,
      attempts: 0,
      routing: { agent: "ollama", confidence: 0.41, method: "hybrid" },
      createdAt: ago(95),
      claimedAt: null,
      completedAt: null,
      leaseExpiresAt: null,
      outcome: null,
    };
    history.tasks.push(failing);
    event(failing.createdAt, "admin-token", "task.created", `task:${failing.id}`, {
      title: failing.title,
      type: failing.type,
      assignee: failing.assignee,
      routing: failing.routing,
    });
    for (let n = 1; n <= MAX_ATTEMPTS; n++) {
      const at = ago(90 - n * 20);
      const duration = 12 + n;
      Object.assign(failing, {
        claimedBy: "ollama",
        claimedAt: at,
        completedAt: new Date(at.getTime() + duration * 60_000),
        attempts: n,
        state: n === MAX_ATTEMPTS ? "failed" : "pending",
        outcome: { agent: "ollama", success: false, durationMinutes: duration, rework: false, summary: "Timed out." },
      });
      history.outcomes.push({
        taskId: failing.id,
        agent: "ollama",
        taskType: failing.type,
        success: false,
        durationMinutes: duration,
        rework: false,
        description: failing.title,
        routedAgent: "ollama",
        at: failing.completedAt!,
      });
      event(at, "ollama", "task.claimed", `task:${failing.id}`, { agent: "ollama", attempt: n });
      event(
        failing.completedAt!,
        "ollama",
        n === MAX_ATTEMPTS ? "task.failed" : "task.retry_scheduled",
        `task:${failing.id}`,
        {
          agent: "ollama",
          success: false,
          durationMinutes: duration,
          summary: "Timed out.",
        },
      );
    }
    openEscalation(
      "task",
      failing.id,
      `Failed after ${MAX_ATTEMPTS} of ${MAX_ATTEMPTS} attempts; ollama asked for a retry but none are left.`,
      new Date(failing.completedAt!.getTime() + 1000),
      "ollama",
    );

    const unroutable: DemoTask = {
      ...failing,
      id: idFor("task", ago(40)),
      title: "Qwzx plorb the frobnicator",
      description: "",
      type: "research",
      priority: "normal",
      state: "pending",
      assignee: null,
      claimedBy: null,
      attempts: 0,
      routing: null,
      createdAt: ago(40),
      claimedAt: null,
      completedAt: null,
      outcome: null,
    };
    history.tasks.push(unroutable);
    event(unroutable.createdAt, "admin@federation.local", "task.created", `task:${unroutable.id}`, {
      title: unroutable.title,
      type: unroutable.type,
    });
    openEscalation(
      "routing",
      unroutable.id,
      "No evidence to route on: no rule matches and the model knows none of its words. A person decides.",
      new Date(unroutable.createdAt.getTime() + 500),
      "router",
    );

    // A tie and an unsure majority, both closed and waiting for a person.
    settledVote(ago(150), "Retry with backoff or fail fast?", [
      ["claude", "backoff", 0.8],
      ["kimi", "fail fast", 0.8],
      ["copilot", "backoff", 0.0],
    ]);
    settledVote(ago(75), "Postgres or SQLite for the demo?", [
      ["claude", "postgres", 0.62],
      ["kimi", "postgres", 0.58],
      ["copilot", "sqlite", 0.66],
    ]);
    // Two still open, ballots arriving.
    openVote(ago(25), "Ship the CLI in TypeScript or Go?", ["typescript", "go"], [["claude", "typescript", 0.82]]);
    openVote(ago(10), "Which library for the queue console?", ["option a", "option b"], []);
  }

  function openEscalation(kind: DemoEscalation["kind"], subjectId: string, reason: string, at: Date, actor: string) {
    const escalation: DemoEscalation = {
      id: idFor("esc", at),
      kind,
      subjectId,
      reason,
      state: "open",
      resolution: null,
      resolvedBy: null,
      createdAt: at,
      resolvedAt: null,
    };
    history.escalations.push(escalation);
    event(at, actor, "escalation.opened", `escalation:${escalation.id}`, { kind, subjectId, reason });
  }

  function openVote(createdAt: Date, question: string, options: string[], cast: [string, string, number][]): void {
    const id = idFor("vote", createdAt);
    history.votes.push({
      id,
      question,
      options,
      voters: ["claude", "kimi", "copilot"],
      status: "open",
      ballots: cast.map(([voter, option, confidence], i) => ({
        voter,
        option,
        confidence,
        rationale: `${voter}'s reasoning`,
        at: new Date(createdAt.getTime() + (i + 1) * 5 * 60_000),
      })),
      result: null,
      decidedBy: null,
      createdAt,
      resolvedAt: null,
      closesAt: new Date(createdAt.getTime() + 3 * 3600_000),
    });
    event(createdAt, "claude", "vote.created", `vote:${id}`, { question, options });
  }

  /** A vote whose every voter has voted (a zero confidence is no ballot), resolved and, if need be, escalated. */
  function settledVote(createdAt: Date, question: string, cast: [string, string, number][]): void {
    const options = [...new Set(cast.map(([, o]) => o))];
    record(
      createdAt,
      question,
      options,
      cast
        .filter(([, , c]) => c > 0)
        .map(([voter, option, confidence], i) => ({
          voter,
          option,
          confidence,
          rationale: `${voter}'s reasoning`,
          at: new Date(createdAt.getTime() + (i + 1) * 10 * 60_000),
        })),
      new Date(createdAt.getTime() + 45 * 60_000),
      false,
    );
  }

  /** Resolves a closed vote as the product does; escalated votes open a vote escalation, decided by a person or not. */
  function record(
    createdAt: Date,
    question: string,
    options: string[],
    ballots: DemoVote["ballots"],
    resolvedAt: Date,
    decidedLater: boolean,
  ): void {
    const voters = ["claude", "kimi", "copilot"];
    const id = idFor("vote", createdAt);
    const rules: VoteRules = { options, method: "weighted_confidence", threshold: 0.7, quorum: null };
    const result = resolveVote(rules, ballots);
    const escalated = result.status === "escalated";
    const byHuman = escalated && decidedLater;
    const choice = result.leading ?? options[0]!;
    history.votes.push({
      id,
      question,
      options,
      voters,
      status: escalated && !byHuman ? "escalated" : "decided",
      ballots,
      result: {
        ...result,
        ...(byHuman
          ? {
              status: "decided",
              winner: choice,
              decidedBy: "admin@federation.local",
              note: "Going with the leading option.",
            }
          : {}),
      },
      decidedBy: byHuman ? "admin@federation.local" : null,
      createdAt,
      resolvedAt,
      closesAt: new Date(createdAt.getTime() + 2 * 3600_000),
    });
    event(createdAt, "claude", "vote.created", `vote:${id}`, { question, options });
    for (const b of ballots)
      event(b.at, b.voter, "vote.ballot_cast", `vote:${id}`, { option: b.option, confidence: b.confidence });
    event(resolvedAt, "system", escalated ? "vote.escalated" : "vote.decided", `vote:${id}`, { ...result });
    if (!escalated) return;
    const escAt = new Date(resolvedAt.getTime() + 1000);
    const escalation: DemoEscalation = {
      id: idFor("esc", escAt),
      kind: "vote",
      subjectId: id,
      reason: escalationReason({ threshold: rules.threshold, quorum: rules.quorum }, result, ballots.length),
      state: byHuman ? "resolved" : "open",
      resolution: byHuman ? { action: "decide", option: choice, note: "Going with the leading option." } : null,
      resolvedBy: byHuman ? "admin@federation.local" : null,
      createdAt: escAt,
      resolvedAt: byHuman ? new Date(escAt.getTime() + 30 * 60_000) : null,
    };
    history.escalations.push(escalation);
    event(escAt, "system", "escalation.opened", `escalation:${escalation.id}`, { kind: "vote", subjectId: id });
    if (byHuman)
      event(escalation.resolvedAt!, "admin@federation.local", "escalation.resolved", `escalation:${escalation.id}`, {
        subjectId: id,
        ...escalation.resolution,
      });
  }

  function finish(task: DemoTask, until: Date): void {
    const age = until.getTime() - task.createdAt.getTime();
    const agent = task.assignee!;
    // Recent tasks are still waiting or being worked on.
    if (age < 3 * 3600_000 && chance(0.6)) {
      if (chance(0.4)) {
        task.state = "in_progress";
        task.claimedBy = agent;
        task.claimedAt = new Date(task.createdAt.getTime() + 60_000);
        task.leaseExpiresAt = new Date(until.getTime() + 10 * 60_000);
        task.attempts = 0;
        event(task.claimedAt, agent, "task.claimed", `task:${task.id}`, { agent, attempt: 1 });
      }
      return;
    }
    // Up to three attempts, as the queue's default maxAttempts allows.
    let at = new Date(task.createdAt.getTime() + (5 + random() * 60) * 60_000);
    for (let n = 1; n <= MAX_ATTEMPTS; n++) {
      if (at >= until) return;
      if (attempt(task, agent, at, n, until)) return;
      at = new Date(task.completedAt!.getTime() + 5 * 60_000);
    }
    // Out of attempts: a task escalation, which the orchestrator later settles by a retry or a reassignment.
    const escAt = new Date(task.completedAt!.getTime() + 1000);
    const resolvedAt = new Date(escAt.getTime() + 40 * 60_000);
    const resolved = until.getTime() - resolvedAt.getTime() > 4 * 3600_000;
    const retried = chance(0.4);
    const to = retried ? agent : pick(["kimi", "kimi-ide", "copilot", "claude"].filter((a) => a !== agent));
    const escalation: DemoEscalation = {
      id: idFor("esc", escAt),
      kind: "task",
      subjectId: task.id,
      reason: `Failed after ${MAX_ATTEMPTS} of ${MAX_ATTEMPTS} attempts; ${agent} reported: ${task.outcome!.summary}`,
      state: resolved ? "resolved" : "open",
      resolution: resolved
        ? retried
          ? { action: "retry" }
          : { action: "reassign", assignee: to, note: `${to} knows this area` }
        : null,
      resolvedBy: resolved ? "admin@federation.local" : null,
      createdAt: escAt,
      resolvedAt: resolved ? resolvedAt : null,
    };
    history.escalations.push(escalation);
    event(escAt, agent, "escalation.opened", `escalation:${escalation.id}`, { kind: "task", subjectId: task.id });
    if (!resolved) return;
    event(
      resolvedAt,
      "admin@federation.local",
      retried ? "task.retried" : "task.reassigned",
      `task:${task.id}`,
      retried ? {} : { from: agent, to, escalation: escalation.id },
    );
    event(
      resolvedAt,
      "admin@federation.local",
      "escalation.resolved",
      `escalation:${escalation.id}`,
      escalation.resolution!,
    );
    task.assignee = to;
    attempt(task, to, new Date(resolvedAt.getTime() + 10 * 60_000), MAX_ATTEMPTS, until);
  }

  /** One claim of a task by `agent`, ending in an outcome; returns whether it succeeded. */
  function attempt(task: DemoTask, agent: string, claimedAt: Date, number: number, until: Date): boolean {
    const success = chance(skill(agent, task.type));
    const last = number === MAX_ATTEMPTS;
    const duration =
      Math.round(DURATION[task.type as (typeof TYPES)[number]] * Math.exp((random() - 0.5) * 1.4) * 10) / 10;
    const completedAt = new Date(Math.min(until.getTime() - 1000, claimedAt.getTime() + duration * 60_000));
    const rework = success && chance(0.1);
    const summary = success ? "Done." : pick(["Tests kept failing.", "Blocked by a missing credential.", "Timed out."]);
    Object.assign(task, {
      claimedBy: agent,
      claimedAt,
      completedAt,
      attempts: success ? number - 1 : number,
      state: success ? "completed" : last ? "failed" : "pending",
      outcome: { agent, success, durationMinutes: duration, rework, summary },
    });
    history.outcomes.push({
      taskId: task.id,
      agent,
      taskType: task.type,
      success,
      durationMinutes: duration,
      rework,
      description: task.title,
      routedAgent: task.routing?.agent ?? null,
      at: completedAt,
    });
    event(claimedAt, agent, "task.claimed", `task:${task.id}`, { agent, attempt: number });
    event(
      completedAt,
      agent,
      success ? "task.completed" : last ? "task.failed" : "task.retry_scheduled",
      `task:${task.id}`,
      { agent, success, durationMinutes: duration, summary },
    );
    return success;
  }

  function vote(createdAt: Date, until: Date): void {
    const question = pick([
      "Which library for the queue console?",
      "Weighted confidence or simple majority?",
      "Postgres or SQLite for the demo?",
      "Ship the CLI in TypeScript or Go?",
      "Retry with backoff or fail fast?",
    ]);
    const options = question.includes(" or ")
      ? question
          .replace("?", "")
          .split(/ or /)
          .map((o) =>
            o
              .replace(/^[A-Z][a-z]+ (the CLI in |with )?/, "")
              .trim()
              .toLowerCase(),
          )
          .slice(0, 2)
      : ["option a", "option b"];
    const voters = ["claude", "kimi", "copilot"];
    const favourite = pick(options);
    const ballots = voters.map((voter, i) => {
      const agree = chance(0.78);
      return {
        voter,
        option: agree ? favourite : options.find((o) => o !== favourite)!,
        confidence: Math.round((0.55 + random() * 0.43) * 100) / 100,
        rationale: `${voter}'s reasoning`,
        at: new Date(createdAt.getTime() + (i + 1) * 15 * 60_000),
      };
    });
    const resolvedAt = new Date(createdAt.getTime() + 50 * 60_000);
    if (resolvedAt > until) {
      history.votes.push({
        id: idFor("vote", createdAt),
        question,
        options,
        voters,
        status: "open",
        ballots: ballots.filter((b) => b.at < until),
        result: null,
        decidedBy: null,
        createdAt,
        resolvedAt: null,
        closesAt: new Date(createdAt.getTime() + 2 * 3600_000),
      });
      return;
    }
    record(createdAt, question, options, ballots, resolvedAt, until.getTime() - resolvedAt.getTime() > 4 * 3600_000);
  }
}
