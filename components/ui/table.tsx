// Data tables: scroll horizontally on small screens, keep headers readable.
import { cn } from "./cn";

export function Table({ className, ...props }: React.ComponentProps<"table">) {
  return (
    // `relative`: screen-reader-only text in a cell is absolutely positioned; it must be clipped here, not widen the page.
    <div className="relative overflow-x-auto">
      <table className={cn("min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800", className)} {...props} />
    </div>
  );
}

export function Th({ className, ...props }: React.ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cn(
        "px-5 py-2.5 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400",
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
