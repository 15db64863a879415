// The bulk actions and the task states each applies to (shared by the API and the console's buttons).
import type { TaskState } from "./schema";

export const BULK_ACTIONS = ["retry", "cancel", "reassign"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The states each action applies to; other matching tasks are left as they are and counted as skipped. */
export const APPLIES_TO: Record<BulkAction, TaskState[]> = {
  retry: ["failed", "cancelled"],
  cancel: ["pending", "in_progress"],
  reassign: ["pending", "failed"],
};
