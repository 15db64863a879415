// Form controls with labels, hints and errors wired for screen readers.
import { useId } from "react";
import { cn } from "./cn";

const control =
  "block rounded-md border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-inset ring-zinc-300 placeholder:text-zinc-400 focus:ring-2 focus:ring-inset focus:ring-indigo-500 focus:outline-none disabled:opacity-60 dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-700 aria-[invalid=true]:ring-red-500";

/** Full width unless the caller sets a width: two width classes would fight, and the stylesheet's order wins. */
const width = (className?: string) => (/(^|\s)(w-|basis-|flex-1)/.test(className ?? "") ? "" : "w-full");

export function Input({ className, ...props }: React.ComponentProps<"input">) {
  return <input className={cn(control, width(className), "h-9", className)} {...props} />;
}

export function Select({ className, ...props }: React.ComponentProps<"select">) {
  return <select className={cn(control, width(className), "h-9 pr-8", className)} {...props} />;
}

/** A select's options: one per value, shown as `label(value)` (the value itself by default). */
export function Options<T extends string>({
  values,
  label,
}: {
  values: readonly T[];
  label?: (value: T) => React.ReactNode;
}) {
  return values.map((v) => (
    <option key={v} value={v}>
      {label ? label(v) : v}
    </option>
  ));
}

export function Textarea({ className, ...props }: React.ComponentProps<"textarea">) {
  return <textarea className={cn(control, width(className), "min-h-20", className)} {...props} />;
}

/** A labelled field: renders its control through `children(id, describedBy, invalid)`. */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: string;
  hint?: string;
  error?: string;
  className?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean }) => React.ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
      {hint && !error && (
        <p id={hintId} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs font-medium text-red-600 dark:text-red-400" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A form that hands its fields to `onSubmit` instead of navigating. Browser validation is off: the server's
 * answer names each bad field beside it (Field's `error`), which the browser's bubbles would hide.
 */
export function Form({
  onSubmit,
  className,
  ...props
}: Omit<React.ComponentProps<"form">, "onSubmit"> & { onSubmit: (fields: FormData, form: HTMLFormElement) => void }) {
  return (
    <form
      className={cn("space-y-4", className)}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(new FormData(e.currentTarget), e.currentTarget);
      }}
      {...props}
    />
  );
}

/** Where a form's buttons go: at its end, on the right. */
export function FormActions({ className, ...props }: React.ComponentProps<"div">) {
  return <div className={cn("flex justify-end gap-2 pt-2", className)} {...props} />;
}
