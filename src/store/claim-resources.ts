import type { SqlClient } from "../infra/sql.ts";
import type { AllocationOutcome } from "../domain/resources/allocate.ts";
import type { ResourceRequirement } from "../domain/resources/requirements.ts";
import { insertAllocations, type AllocationRow } from "./resources.ts";
import type { ClaimedRun } from "./claim.ts";

// The claim's resource steps (store/claim.ts) besides locking the pools: record why runs wait, and
// insert the granted allocations.

/** SET clause for a run that no longer waits for resources (it starts, or is made READY/WAITING again). */
export const NOT_WAITING = `"waitingFor" = NULL, "waitingOn" = '{}', unsatisfiable = false`;

export interface WaitingRun {
  id: string;
  waitingFor: string | null;
  unsatisfiable: boolean;
}

/** Shows why a run waits (TaskRun.waitingFor); written only when something changed. */
export async function recordWaiting(c: SqlClient, runs: readonly WaitingRun[], outcomes: ReadonlyMap<string, AllocationOutcome>): Promise<void> {
  const changed = runs.flatMap((l) => {
    const o = outcomes.get(l.id);
    if (o?.kind !== "waiting" || (o.reason === l.waitingFor && !o.satisfiable === l.unsatisfiable)) return [];
    return [{ id: l.id, reason: o.reason, on: o.waitingOn, unsatisfiable: !o.satisfiable }];
  });
  if (changed.length)
    await c.query(
      `UPDATE "TaskRun" t SET "waitingFor" = w.reason, "waitingOn" = w.on, unsatisfiable = w.unsatisfiable
         FROM jsonb_to_recordset($1::jsonb) AS w(id uuid, reason text, "on" text[], unsatisfiable boolean) WHERE t.id = w.id`,
      [JSON.stringify(changed)],
    );
}

/** Inserts the granted allocations of the runs just claimed (their new attempt holds them). */
export async function allocateRuns(
  c: SqlClient,
  runs: readonly (ClaimedRun & { resources: ResourceRequirement[] })[],
  outcomes: ReadonlyMap<string, AllocationOutcome>,
  now: Date,
): Promise<AllocationRow[]> {
  const rows = runs.flatMap((r) => {
    const o = outcomes.get(r.id);
    if (o?.kind !== "granted") return [];
    return o.grants.map((g) => {
      const req = r.resources[g.requirement]!;
      return {
        resourceId: g.poolId,
        amount: g.amount,
        priority: req.priority ?? r.priority,
        executionId: r.executionId,
        taskRunId: r.id,
        taskKey: r.key,
        attempt: r.attempt,
        releaseOnPause: req.releaseOnPause ?? false,
        expiresAt: req.durationMs ? new Date(now.getTime() + req.durationMs) : null,
      };
    });
  });
  return insertAllocations(c, rows, now);
}
