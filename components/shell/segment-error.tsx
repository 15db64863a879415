"use client";
// A dashboard page that failed to render: what happened, a retry, and a way back; the rest of the app keeps working.
import Link from "next/link";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export function SegmentError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => console.error(error), [error]);
  return (
    <Card className="mx-auto mt-8 max-w-lg p-6 text-center" role="alert">
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      {error.digest ? (
        // Thrown while the server rendered the page: the server or its database.
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          The server could not prepare it (reference {error.digest}). It may be restarting or its database unreachable;
          your data is safe.
        </p>
      ) : (
        // Thrown in the browser: the page's own code failed, not the server.
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400" data-testid="page-error">
          The page itself failed in your browser: {error.message || "an unexpected error"}. This is a bug in Federation,
          not a problem with the server or your data. Trying again usually helps; if it keeps happening, report it with
          this message.
        </p>
      )}
      <div className="mt-4 flex justify-center gap-2">
        <Button onClick={reset}>Try again</Button>
        <Link
          href="/"
          className="inline-flex h-9 items-center rounded-md px-3.5 text-sm font-medium ring-1 ring-zinc-300 ring-inset hover:bg-zinc-50 dark:ring-zinc-700 dark:hover:bg-zinc-800"
        >
          Go to the Overview
        </Link>
      </div>
    </Card>
  );
}
