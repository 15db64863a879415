"use client";
// Change your own password: the current one to prove it is you, then the new one; other sessions end.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/feedback";
import { Field, Input } from "@/components/ui/form";
import { api, ApiError } from "@/lib/client/api";

/** `first`: the first sign-in with a generated password; once changed, the app opens. */
export function ChangePasswordForm({ first = false }: { first?: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      api<{ sessionsEnded: number }>("/me/password", { body }),
    onSuccess: (r) => {
      setError(null);
      setDone(r.sessionsEnded);
      if (first) router.refresh();
    },
    onError: (e) => setError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e))),
  });
  return (
    <form
      className="max-w-md space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        setDone(null);
        change.mutate(
          { currentPassword: String(f.get("currentPassword") ?? ""), newPassword: String(f.get("newPassword") ?? "") },
          { onSuccess: () => form.reset() },
        );
      }}
    >
      {done !== null && (
        <Alert tone="success">
          Password changed.{done ? ` ${done} other session${done === 1 ? "" : "s"} signed out.` : ""}
        </Alert>
      )}
      {error && !error.errors.length && <Alert tone="error">{error.message}</Alert>}
      <Field label={first ? "Password you signed in with" : "Current password"} error={error?.field("currentPassword")}>
        {(p) => <Input {...p} name="currentPassword" type="password" autoComplete="current-password" required />}
      </Field>
      <Field label="New password" hint="At least 10 characters." error={error?.field("newPassword")}>
        {(p) => <Input {...p} name="newPassword" type="password" autoComplete="new-password" required minLength={10} />}
      </Field>
      <Button type="submit" loading={change.isPending}>
        {first ? "Set my password" : "Change password"}
      </Button>
    </form>
  );
}
