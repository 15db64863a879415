"use client";
// Data tables. Wide screens: columns. Phones (under 640 px): each row becomes a stacked card, every cell labelled
// with its column's header (copied from the header row, so callers write ordinary tables).
import { useEffect, useRef } from "react";
import { cn } from "./cn";

function labelCells(table: HTMLTableElement) {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
  for (const row of table.querySelectorAll("tbody tr")) {
    [...row.children].forEach((cell, i) => {
      const label = headers[i] ?? "";
      if (cell.getAttribute("data-label") !== label) cell.setAttribute("data-label", label);
    });
  }
}

export function Table({ className, ...props }: React.ComponentProps<"table">) {
  const ref = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const table = ref.current;
    if (!table) return;
    labelCells(table);
    const observer = new MutationObserver(() => labelCells(table));
    observer.observe(table, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return (
    // `relative`: screen-reader-only text in a cell is absolutely positioned; it must be clipped here, not widen the page.
    <div className="relative overflow-x-auto">
      <table
        ref={ref}
        className={cn("table-stack min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800", className)}
        {...props}
      />
    </div>
  );
}

export function Th({ className, ...props }: React.ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cn(
        "px-5 py-2.5 text-left text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400",
        className,
      )}
      {...props}
    />
  );
}

export function Td({ className, ...props }: React.ComponentProps<"td">) {
  return <td className={cn("px-5 py-3 align-middle text-zinc-700 dark:text-zinc-300", className)} {...props} />;
}

export function Tbody({ className, ...props }: React.ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-zinc-100 dark:divide-zinc-800/70", className)} {...props} />;
}

/**
 * A header row from its labels: `numeric` ones aligned right (over right-aligned figures), `widths` a class per
 * label, and with `actions` a last, unlabelled-on-screen column for the row's buttons.
 */
export function Thead({
  columns,
  numeric = [],
  widths = {},
  actions = false,
}: {
  columns: string[];
  numeric?: string[];
  widths?: Record<string, string>;
  actions?: boolean;
}) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <Th key={c} className={cn(numeric.includes(c) && "text-right", widths[c])}>
            {c}
          </Th>
        ))}
        {actions && (
          <Th className="text-right">
            <span className="sr-only">Actions</span>
          </Th>
        )}
      </tr>
    </thead>
  );
}
