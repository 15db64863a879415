// Users page (admins only).
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listUsers } from "@/lib/users/service";
import { UsersView } from "@/components/users/users-view";
import { Alert } from "@/components/ui/feedback";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await currentActor();
  if (actor?.kind !== "user" || actor.role !== "admin") {
    return (
      <Alert tone="warning" title="Admins only">
        Ask an admin to change users or roles.
      </Alert>
    );
  }
  const users = await listUsers(getPrisma(), actor);
  return (
    <>
      <PageHeader title="Users" description="People who sign in to Federation, and what they may do." />
      <UsersView initial={users} selfId={actor.userId} />
    </>
  );
}
