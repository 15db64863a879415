"use client";
// Users (admin): add people, change roles, disable accounts.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Alert } from "@/components/ui/feedback";
import { Field, Input, Select, Form, FormActions, Options } from "@/components/ui/form";
import { Table, Tbody, Td, Thead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { api, ApiError } from "@/lib/client/api";
import { ROLES, type UserDto } from "@/lib/users/schema";

const usersKey = ["users"] as const;

export function UsersView({ initial, selfId }: { initial: UserDto[]; selfId: string }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [resetting, setResetting] = useState<UserDto | null>(null);
  const users = useQuery({
    queryKey: usersKey,
    queryFn: () => api<{ items: UserDto[] }>("/users").then((r) => r.items),
    initialData: initial,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });

  const add = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<UserDto & { password: string }>("/users", { body }),
    onSuccess: (u) => {
      setAdding(false);
      setCreated({ email: u.email, password: u.password });
      refresh();
    },
    onError: (e) => setFormError(e instanceof ApiError ? e : new ApiError(0, "Error", String(e))),
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Record<string, unknown> }) =>
      api<UserDto>(`/users/${id}`, { method: "PATCH", body }),
    onSuccess: (u) => {
      setNotice({ tone: "success", text: `${u.email} updated.` });
      refresh();
    },
    onError: (e) => setNotice({ tone: "error", text: e instanceof ApiError ? e.message : String(e) }),
  });

  const reset = useMutation({
    mutationFn: (u: UserDto) =>
      api<{ password: string }>(`/users/${u.id}/password`, { body: {} }).then((r) => ({
        email: u.email,
        password: r.password,
      })),
    onSuccess: (r) => {
      setResetting(null);
      setCreated(null);
      setNotice(null);
      setCreated({ email: r.email, password: r.password });
    },
    onError: (e) => {
      setResetting(null);
      setNotice({ tone: "error", text: e instanceof ApiError ? e.message : String(e) });
    },
  });

  return (
    <>
      {created && (
        <Alert tone="success" className="mb-4" title={`${created.email} can sign in with a new password.`}>
          Their password is{" "}
          <code className="font-mono" data-testid="new-password">
            {created.password}
          </code>
          . Share it safely: it is not shown again.
        </Alert>
      )}
      {notice && (
        <Alert tone={notice.tone} className="mb-4">
          {notice.text}
        </Alert>
      )}
      <Card>
        <CardHeader
          title="People"
          description="Admins manage everything; members create work; viewers only look."
          actions={
            <Button
              onClick={() => {
                setFormError(null);
                setAdding(true);
              }}
            >
              Add user
            </Button>
          }
        />
        <Table aria-label="Users">
          <Thead columns={["User", "Role", "Last sign-in", "State"]} actions />
          <Tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id} data-user={u.email}>
                <Td>
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">{u.name}</span>
                  <span className="block text-xs text-zinc-600 dark:text-zinc-400">{u.email}</span>
                </Td>
                <Td>
                  <Select
                    aria-label={`Role of ${u.email}`}
                    className="h-8 w-32 py-1 text-xs"
                    value={u.role}
                    disabled={update.isPending}
                    onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value } })}
                  >
                    <Options values={ROLES} />
                  </Select>
                </Td>
                <Td>
                  <RelativeTime iso={u.lastLoginAt} />
                </Td>
                <Td>{u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}</Td>
                <Td className="text-right">
                  {u.id !== selfId && (
                    <div className="flex justify-end gap-2">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setResetting(u)}
                        aria-label={`Reset the password of ${u.email}`}
                      >
                        Reset password
                      </Button>
                      <Button
                        size="sm"
                        variant="secondary"
                        onClick={() => update.mutate({ id: u.id, body: { disabled: !u.disabled } })}
                      >
                        {u.disabled ? "Enable" : "Disable"}
                      </Button>
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </Tbody>
        </Table>
      </Card>
      <Dialog
        open={resetting !== null}
        onClose={() => setResetting(null)}
        title="Reset password?"
        description={
          resetting ? `${resetting.email} gets a new generated password and is signed out everywhere.` : undefined
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => setResetting(null)}>
            Keep it
          </Button>
          <Button variant="danger" loading={reset.isPending} onClick={() => resetting && reset.mutate(resetting)}>
            Reset password
          </Button>
        </div>
      </Dialog>
      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title="Add user"
        description="Leave the password empty to generate one."
      >
        <Form
          onSubmit={(f) => {
            setFormError(null);
            const password = String(f.get("password") ?? "");
            add.mutate({
              email: String(f.get("email") ?? ""),
              name: String(f.get("name") ?? ""),
              role: String(f.get("role")),
              ...(password ? { password } : {}),
            });
          }}
        >
          {formError && !formError.errors.length && <Alert tone="error">{formError.message}</Alert>}
          <Field label="Email" error={formError?.field("email")}>
            {(p) => <Input {...p} name="email" type="email" required autoFocus />}
          </Field>
          <Field label="Name" error={formError?.field("name")}>
            {(p) => <Input {...p} name="name" required />}
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Role" error={formError?.field("role")}>
              {(p) => (
                <Select {...p} name="role" defaultValue="member">
                  <Options values={ROLES} />
                </Select>
              )}
            </Field>
            <Field label="Password" hint="Optional, 10+ characters." error={formError?.field("password")}>
              {(p) => <Input {...p} name="password" type="password" autoComplete="new-password" />}
            </Field>
          </div>
          <FormActions>
            <Button type="submit" loading={add.isPending}>
              Add user
            </Button>
          </FormActions>
        </Form>
      </Dialog>
    </>
  );
}
