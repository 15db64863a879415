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
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Something went wrong while loading it{error.digest ? ` (reference ${error.digest})` : ""}. The server may be
        restarting or the database unreachable; your data is safe.
      </p>
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
