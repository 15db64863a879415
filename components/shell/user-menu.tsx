"use client";
// The signed-in person, their role, the colour-scheme switch and sign-out.
import Link from "next/link";
import { signOut } from "next-auth/react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

function toggleTheme() {
  const dark = document.documentElement.classList.toggle("dark");
  localStorage.setItem("theme", dark ? "dark" : "light");
}

export function UserMenu({ email, role, showEmail }: { email: string; role: string; showEmail?: boolean }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <Link
        href="/account"
        className={`${showEmail ? "inline" : "hidden sm:inline"} max-w-48 min-w-0 truncate text-sm text-zinc-600 hover:underline dark:text-zinc-400`}
        title={`${email}: your account`}
      >
        {email}
      </Link>
      <Badge tone={role === "admin" ? "indigo" : "gray"}>{role}</Badge>
      <Button variant="ghost" size="sm" onClick={toggleTheme} aria-label="Switch light or dark mode">
        <span aria-hidden>◐</span>
      </Button>
      <Button variant="secondary" size="sm" onClick={() => signOut({ callbackUrl: "/login" })}>
        Sign out
      </Button>
    </div>
  );
}
