// Webhooks page (admins only): endpoints, their recent deliveries, test, replay, rotate.
import type { Metadata } from "next";
import { currentActor } from "@/lib/auth/options";
import { getPrisma } from "@/lib/db/client";
import { listWebhooks } from "@/lib/webhooks/service";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { Alert } from "@/components/ui/feedback";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const actor = await currentActor();
  if (actor?.kind !== "user" || actor.role !== "admin") {
    return (
      <Alert tone="warning" title="Admins only">
        Ask an admin to add or change webhooks.
      </Alert>
    );
  }
  const hooks = await listWebhooks(getPrisma(), actor);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Tell chat, CI and paging when the federation needs a person or something changes. Every delivery is signed (Standard Webhooks), retried for 24 hours with the same webhook-id, and listed here."
      />
      <WebhooksView initial={hooks} />
    </>
  );
}
