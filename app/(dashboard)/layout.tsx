// The app shell: navigation, who is signed in; every page below needs a signed-in person.
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/options";
import { Nav, type NavItem } from "@/components/shell/nav";
import { UserMenu } from "@/components/shell/user-menu";
import { AutoSchedulingSwitch } from "@/components/shell/auto-scheduling-switch";
import { getPrisma } from "@/lib/db/client";
import { getFederationState } from "@/lib/scheduling/state";
import { escalationSummary } from "@/lib/escalations/service";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  if (!actor || actor.kind !== "user") {
    const path = (await headers()).get("x-fed-path");
    redirect(path && path !== "/" ? `/login?callbackUrl=${encodeURIComponent(path)}` : "/login");
  }
  const [federation, escalations] = await Promise.all([
    getFederationState(getPrisma()),
    escalationSummary(getPrisma()),
  ]);
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
    ...(actor.role === "admin" ? [{ href: "/users", label: "Users" }] : []),
  ];
  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[14rem_1fr]">
      <aside className="border-b border-zinc-200 bg-white px-4 py-3 lg:sticky lg:top-0 lg:h-screen lg:border-r lg:border-b-0 lg:py-5 dark:border-zinc-800 dark:bg-zinc-900">
        <Link
          href="/"
          className="mb-0 flex items-center gap-2 px-3 pb-3 text-base font-semibold tracking-tight lg:mb-4 lg:pb-0"
        >
          <span
            className="grid size-7 place-items-center rounded-md bg-indigo-600 text-sm font-bold text-white"
            aria-hidden
          >
            F
          </span>
          Federation
        </Link>
        <Nav items={items} escalations={escalations} />
      </aside>
      <div className="min-w-0">
        <header className="sticky top-0 z-10 flex h-14 items-center justify-end gap-4 border-b border-zinc-200 bg-white/80 px-4 backdrop-blur sm:px-6 dark:border-zinc-800 dark:bg-zinc-900/80">
          <AutoSchedulingSwitch initial={federation} canEdit={actor.role === "admin"} />
          <UserMenu email={actor.label} role={actor.role} />
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6 lg:py-8">{children}</main>
      </div>
    </div>
  );
}
