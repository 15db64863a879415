// Git for `fed run`: git itself (argv, never a shell), and `fed run --clean`, which removes ended tasks' worktrees.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { TaskDto } from "@/lib/queue/schema";
import type { ApiClient } from "./client";

/** Runs git with argv (never a shell); resolves stdout, rejects with git's message. */
export function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`git ${args.join(" ")}: ${stderr.trim() || error.message}`)) : resolve(stdout),
    );
  });
}

/**
 * `fed run --clean`: removes the worktrees (and prompt files) of this repository's tasks that have ended —
 * completed, failed or cancelled. Their branches stay: the work lives there. Returns what it removed.
 */
export async function cleanWorktrees(o: {
  api: ApiClient;
  repo: string;
  worktrees?: string;
  report: (line: string) => void;
}): Promise<string[]> {
  const repo = path.resolve(o.repo);
  const dir = path.resolve(o.worktrees ?? `${repo}.fed-worktrees`);
  if (!existsSync(dir)) return [];
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^task-[\w-]+$/.test(name)) continue;
    const task = await o.api.get<TaskDto>(`/tasks/${encodeURIComponent(name)}`).catch(() => null);
    if (!task || !["completed", "failed", "cancelled"].includes(task.state)) continue;
    await git(["worktree", "remove", "--force", path.join(dir, name)], repo).catch((e: Error) =>
      o.report(`Could not remove ${name}'s worktree: ${e.message}`),
    );
    rmSync(path.join(dir, `${name}.fed`), { recursive: true, force: true });
    removed.push(name);
    o.report(`Removed the worktree of ${name} (${task.state}); its branch fed/${name} stays.`);
  }
  await git(["worktree", "prune"], repo).catch(() => {});
  return removed;
}
