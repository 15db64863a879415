// Sign-in page.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/options";
import { LoginForm } from "@/components/shell/login-form";
import { safeCallbackPath } from "@/lib/http/safe-redirect";
import { getPrisma } from "@/lib/db/client";
import { isFirstSignIn } from "@/lib/users/service";

export const metadata: Metadata = { title: "Sign in" };

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  if (await currentActor()) redirect(safeCallbackPath(callbackUrl));
  const safe = safeCallbackPath(callbackUrl);
  const first = await isFirstSignIn(getPrisma()).catch(() => false);
  return (
    <main className="grid min-h-screen place-items-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2 text-xl font-semibold tracking-tight">
          <span className="grid size-9 place-items-center rounded-lg bg-indigo-600 font-bold text-white" aria-hidden>
            F
          </span>
          Federation
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-lg font-semibold">Sign in</h1>
          {first ? (
            <div className="mt-2 space-y-2 text-sm text-zinc-700 dark:text-zinc-300" data-testid="first-sign-in">
              <p>
                First time here? <code className="font-mono text-xs">npm start</code> printed the first admin&rsquo;s
                email and password in its terminal, as its last lines once the app was ready.
              </p>
              <p className="text-zinc-600 dark:text-zinc-400">
                Lost the password? <code className="font-mono text-xs">npm run reset-password</code> prints a new one.
                You will choose your own after signing in.
              </p>
            </div>
          ) : (
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Use the account an admin gave you.</p>
          )}
          <LoginForm callbackUrl={safe} />
        </div>
      </div>
    </main>
  );
}
