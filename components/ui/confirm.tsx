"use client";
// Asking before a destructive action, in the app's own dialog (never window.confirm): `const [dialog, ask] =
// useConfirm()`, render `dialog`, and `if (await ask({...})) act()`.
import { useCallback, useState } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

interface Question {
  title: string;
  body?: string;
  /** The confirming button's words, e.g. "Revoke token". */
  action: string;
  tone?: "primary" | "danger";
}

export function useConfirm(): [React.ReactNode, (q: Question) => Promise<boolean>] {
  const [open, setOpen] = useState<(Question & { resolve: (ok: boolean) => void }) | null>(null);
  const ask = useCallback((q: Question) => new Promise<boolean>((resolve) => setOpen({ ...q, resolve })), []);
  const answer = (ok: boolean) => {
    open?.resolve(ok);
    setOpen(null);
  };
  const dialog = open && (
    <Dialog open onClose={() => answer(false)} title={open.title} description={open.body}>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={() => answer(false)}>
          Keep it
        </Button>
        <Button variant={open.tone ?? "danger"} onClick={() => answer(true)} autoFocus>
          {open.action}
        </Button>
      </div>
    </Dialog>
  );
  return [dialog, ask];
}
