"use server";
// Server actions of the Queue page: thin shells over lib/queue.
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { formErrors, type FormResult } from "@/lib/http/form-errors";
import { createTask } from "@/lib/queue/create-task";

export interface CreateTaskResult extends FormResult {
  taskId?: string;
}

const text = (form: FormData, key: string) => String(form.get(key) ?? "").trim();

export async function createTaskAction(_: CreateTaskResult, form: FormData): Promise<CreateTaskResult> {
  const actor = await currentActor();
  if (!actor) return { ok: false, message: "Your session has ended. Sign in again." };
  const dependsOn = text(form, "dependsOn")
    .split(/[\s,]+/)
    .filter(Boolean);
  try {
    const { task } = await createTask(getPrisma(), actor, {
      title: text(form, "title"),
      description: text(form, "description") || undefined,
      type: text(form, "type"),
      priority: (text(form, "priority") || "normal") as "normal",
      assignee: text(form, "assignee") || null,
      ...(dependsOn.length ? { dependsOn } : {}),
      maxAttempts: Number(text(form, "maxAttempts") || 3),
    });
    return { ok: true, taskId: task.id };
  } catch (error) {
    return formErrors(error);
  }
}
