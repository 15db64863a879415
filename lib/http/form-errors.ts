// Turns what a domain call threw into per-field messages for a server-action form.
import { z } from "zod";
import { DomainError } from "@/lib/errors";
import { zodFieldErrors } from "./problem";

export interface FormResult {
  ok: boolean;
  message?: string;
  errors?: Record<string, string>;
}

export function formErrors(error: unknown): FormResult {
  const list =
    error instanceof z.ZodError ? zodFieldErrors(error) : error instanceof DomainError ? (error.errors ?? []) : null;
  if (!list) throw error;
  const errors: Record<string, string> = {};
  for (const e of list) errors[e.path.split(".")[0]!] ??= e.message;
  const message =
    error instanceof DomainError && !list.length
      ? error.message
      : list.length
        ? "Fix the highlighted fields."
        : undefined;
  return { ok: false, message, errors };
}
