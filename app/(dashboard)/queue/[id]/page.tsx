// Task page: details, history, chain and actions.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listAgents } from "@/lib/agents/service";
import { orMissing } from "@/lib/errors";
import { getTask } from "@/lib/queue/read";
import { TaskView } from "@/components/queue/task-view";
import { PageHeader } from "@/components/ui/page-header";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  // The tab reads "<task title> · Queue · Federation" (the id when there is no such task).
  const { id } = await params;
  const task = await getPrisma().task.findUnique({ where: { id }, select: { title: true } });
  return { title: task ? `${task.title} · Queue` : id };
}

export default async function TaskPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const db = getPrisma();
  const actor = await currentActor();
  const task = await orMissing(getTask(db, id), notFound);
  const agents = (await listAgents(db)).map((a) => a.name);
  const canAdmin = actor?.role === "admin";
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Link href="/queue" className="hover:underline">
          Queue
        </Link>{" "}
        / <span className="font-mono">{task.id}</span>
      </nav>
      <PageHeader title={task.title} description={<span className="font-mono">{task.id}</span>} />
      <TaskView
        initial={task}
        agents={agents}
        canAdmin={canAdmin}
        canCancel={canAdmin || task.createdBy === actor?.label}
      />
    </>
  );
}
