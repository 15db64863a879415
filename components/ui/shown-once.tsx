"use client";
// A secret shown once (a new token, a webhook's signing secret): the value, a copy button, and what to do with it.
import { useState, type ReactNode } from "react";
import { Button } from "./button";
import { Alert } from "./feedback";

export function ShownOnce({
  title,
  value,
  testId,
  className,
  onDone,
  children,
}: {
  title: string;
  value: string;
  testId: string;
  className?: string;
  /** A "Done" button that puts the secret away. */
  onDone?: () => void;
  children?: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert tone="success" className={className} title={title}>
      {children}
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="rounded bg-white/70 px-2 py-1 font-mono text-xs break-all text-zinc-900 dark:bg-black/30 dark:text-zinc-100"
        >
          {value}
        </code>
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(value).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        {onDone && (
          <Button size="sm" variant="ghost" onClick={onDone}>
            Done
          </Button>
        )}
      </div>
    </Alert>
  );
}
