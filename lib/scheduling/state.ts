// The federation's global switches: auto-scheduling starts off, as in the seed.
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/actor";
import { requireAdmin } from "@/lib/auth/policy";
import { recordEvent } from "@/lib/audit/record";
import type { FederationStateDto } from "./schema";

export async function getFederationState(db: Tx): Promise<FederationStateDto> {
  const row = await db.federationState.findUnique({ where: { id: 1 } });
  return {
    autoScheduling: row?.autoScheduling ?? false,
    updatedBy: row?.updatedBy ?? null,
    updatedAt: (row?.updatedAt ?? new Date(0)).toISOString(),
  };
}

export async function setAutoScheduling(db: Db, actor: Actor, on: boolean): Promise<FederationStateDto> {
  requireAdmin(actor, "turn auto-scheduling on or off");
  return db.$transaction(async (tx) => {
    const before = await getFederationState(tx);
    const row = await tx.federationState.upsert({
      where: { id: 1 },
      create: { id: 1, autoScheduling: on, updatedBy: actor.label },
      update: { autoScheduling: on, updatedBy: actor.label, updatedAt: new Date() },
    });
    if (before.autoScheduling !== on) {
      await recordEvent(tx, {
        actor,
        action: on ? "federation.auto_scheduling_on" : "federation.auto_scheduling_off",
        subject: "federation",
        details: { autoScheduling: on },
      });
    }
    return { autoScheduling: row.autoScheduling, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
  });
}
