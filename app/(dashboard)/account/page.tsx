// Your account: who you are signed in as, your password, what reaches you (mail, this device), your API tokens.
import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { NotificationSettings } from "@/components/account/notification-settings";
import { PersonalTokens } from "@/components/account/personal-tokens";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { currentActor } from "@/lib/auth/options";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const actor = await currentActor();
  return (
    <>
      <PageHeader title="Account" description={actor ? `Signed in as ${actor.label} (${actor.role}).` : undefined} />
      <Card>
        <CardHeader title="Password" description="Changing it signs you out everywhere else." />
        <CardBody>
          <ChangePasswordForm />
        </CardBody>
      </Card>
      <div className="mt-6">
        <NotificationSettings />
      </div>
      <div className="mt-6">
        <PersonalTokens />
      </div>
    </>
  );
}
