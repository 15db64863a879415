// Queue page: the live board.
import type { Metadata } from "next";
import { Suspense } from "react";
import { Skeleton } from "@/components/ui/feedback";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { QueueBoard } from "@/components/queue/queue-board";
import { PageHeader } from "@/components/ui/page-header";
import { createTaskAction } from "./actions";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage() {
  const actor = await currentActor();
  const agents = await listAgents(getPrisma());
  return (
    <>
      <PageHeader title="Queue" description="Work waiting, in progress and done. Updates live." />
      <Suspense fallback={<Skeleton className="h-96" />}>
        <QueueBoard
          agents={agents}
          canCreate={actor?.role === "admin" || actor?.role === "member"}
          canBulk={actor?.role === "admin"}
          createAction={createTaskAction}
        />
      </Suspense>
    </>
  );
}
