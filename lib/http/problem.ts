// RFC 9457 problem+json responses.
import { z } from "zod";
import { DomainError, type FieldError } from "@/lib/errors";

const TYPE_BASE = "https://federation.dev/problems/";

export function problem(
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  headers?: Record<string, string>,
): Response {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const body = { type: `${TYPE_BASE}${slug}`, title, status, detail, ...(errors?.length ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", ...headers },
  });
}

export function fromDomainError(error: DomainError): Response {
  return problem(error.status, error.title, error.message, error.errors, error.headers);
}

export function zodFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(root)",
    message: issue.message,
  }));
}
