"use client";
// The navigation on phones and tablets: a Menu button in the header opens the pages (with their live badges) and
// the account controls; it closes on a choice, on Escape and when the page changes.
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { Nav, useEscalationSummary, type NavItem } from "./nav";
import { UserMenu } from "./user-menu";
import type { EscalationSummary } from "@/lib/escalations/service";

export function MobileMenu({
  items,
  escalations,
  email,
  role,
}: {
  items: NavItem[];
  escalations: EscalationSummary;
  email: string;
  role: string;
}) {
  const [open, setOpen] = useState(false);
  const waiting = useEscalationSummary(escalations).open;
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);
  // A new page closes the menu (state adjusted while rendering, not in an effect).
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);
  return (
    <div className="lg:hidden">
      <button
        type="button"
        aria-expanded={open}
        aria-controls="mobile-menu"
        onClick={() => setOpen((o) => !o)}
        className="inline-flex h-9 items-center gap-2 rounded-md px-2.5 text-sm font-medium text-zinc-800 ring-1 ring-zinc-300 ring-inset hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-100 dark:ring-zinc-700 dark:hover:bg-zinc-800"
      >
        <span aria-hidden className="text-base leading-none">
          {open ? "✕" : "☰"}
        </span>
        Menu
        {waiting > 0 && (
          <span
            className="rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white tabular-nums"
            data-testid="menu-escalation-badge"
          >
            {waiting}
            <span className="sr-only"> waiting for a person</span>
          </span>
        )}
      </button>
      {open && (
        <div
          id="mobile-menu"
          className="absolute inset-x-0 top-14 z-20 max-h-[calc(100vh-3.5rem)] overflow-y-auto border-b border-zinc-200 bg-white px-4 py-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <Nav items={items} escalations={escalations} vertical onNavigate={() => setOpen(false)} />
          <div className="mt-3 border-t border-zinc-200 pt-3 sm:hidden dark:border-zinc-800">
            <UserMenu email={email} role={role} showEmail />
          </div>
        </div>
      )}
    </div>
  );
}
