// The app shell: navigation (a sidebar on wide screens, a menu on phones), who is signed in, the live layer and its
// connection banner; every page below needs a signed-in person.
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/options";
import { Nav, type NavItem } from "@/components/shell/nav";
import { MobileMenu } from "@/components/shell/mobile-menu";
import { UserMenu } from "@/components/shell/user-menu";
import { AutoSchedulingSwitch } from "@/components/shell/auto-scheduling-switch";
import { ConnectionBanner, LiveUpdates } from "@/components/live/live-updates";
import { getPrisma } from "@/lib/db/client";
import { pollMs } from "@/lib/system/poll";
import { getFederationState } from "@/lib/scheduling/state";
import { escalationSummary } from "@/lib/escalations/service";
import { countTasks } from "@/lib/queue/read";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

export const dynamic = "force-dynamic";

function Logo({ className }: { className?: string }) {
  return (
    <Link href="/" className={`flex items-center gap-2 text-base font-semibold tracking-tight ${className ?? ""}`}>
      <span
        className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white"
        aria-hidden
      >
        F
      </span>
      Federation
    </Link>
  );
}

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor || actor.kind !== "user") {
    const path = (await headers()).get("x-fed-path");
    redirect(path && path !== "/" ? `/login?callbackUrl=${encodeURIComponent(path)}` : "/login");
  }
  const [federation, escalations, counts, user] = await Promise.all([
    getFederationState(getPrisma()),
    escalationSummary(getPrisma()),
    countTasks(getPrisma(), {}),
    getPrisma().user.findUnique({ where: { id: actor.userId }, select: { mustChangePassword: true } }),
  ]);
  // A generated password (the first admin's, a new user's, a reset) is replaced before anything else.
  if (user?.mustChangePassword)
    return (
      <main id="main" className="mx-auto max-w-lg px-4 py-12 sm:py-20">
        <Logo className="mb-6" />
        <Card>
          <CardHeader
            title="Choose your own password"
            description={`You signed in as ${actor.label} with a generated password, which was printed or shown to someone. Replace it to continue.`}
          />
          <CardBody>
            <ChangePasswordForm first />
          </CardBody>
        </Card>
      </main>
    );
  const items: NavItem[] = [
    { href: "/", label: "Overview" },
    { href: "/queue", label: "Queue" },
    { href: "/escalations", label: "Escalations" },
    { href: "/votes", label: "Votes" },
    { href: "/analytics", label: "Analytics" },
    { href: "/routing", label: "Routing" },
    { href: "/agents", label: "Agents" },
    { href: "/rules", label: "Rules" },
    { href: "/log", label: "Log" },
    { href: "/api-docs", label: "API" },
    ...(actor.role === "admin"
      ? [
          { href: "/users", label: "Users" },
          { href: "/webhooks", label: "Webhooks" },
        ]
      : []),
  ];
  return (
    <LiveUpdates pollMs={pollMs()}>
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <ConnectionBanner />
      <div className="min-h-screen lg:grid lg:grid-cols-[14rem_1fr]">
        <aside className="hidden border-r border-zinc-200 bg-white px-4 py-5 lg:sticky lg:top-0 lg:block lg:h-screen lg:overflow-y-auto dark:border-zinc-800 dark:bg-zinc-900">
          <Logo className="mb-4 px-3" />
          <Nav items={items} escalations={escalations} counts={counts} />
        </aside>
        <div className="min-w-0">
          <header className="sticky top-0 z-10 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6 dark:border-zinc-800 dark:bg-zinc-900/90">
            <MobileMenu items={items} escalations={escalations} email={actor.label} role={actor.role} />
            <Logo className="hidden sm:flex lg:hidden" />
            <div className="ml-auto flex items-center gap-4">
              <AutoSchedulingSwitch initial={federation} canEdit={actor.role === "admin"} />
              <div className="hidden sm:block">
                <UserMenu email={actor.label} role={actor.role} />
              </div>
            </div>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none sm:px-6 lg:py-8">
            {children}
          </main>
        </div>
      </div>
    </LiveUpdates>
  );
}
