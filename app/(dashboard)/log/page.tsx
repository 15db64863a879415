// Log page: the audit log, live.
import type { Metadata } from "next";
import { getPrisma } from "@/lib/db/client";
import { listEvents } from "@/lib/audit/service";
import { LogView } from "@/components/log/log-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Log" };

export default async function LogPage() {
  const initial = await listEvents(getPrisma(), { limit: 50 });
  return (
    <>
      <PageHeader title="Log" description="The federation's audit trail." />
      <LogView initial={initial} />
    </>
  );
}
