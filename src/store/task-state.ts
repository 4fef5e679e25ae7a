import type { Sql } from "../infra/sql.ts";
import { CHECKPOINT_LIMITS } from "../domain/checkpoint.ts";
import { takeCheckpoint } from "../services/checkpoints.ts";
import { lockExecution } from "./outbox.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import type { ClaimedRun } from "./claim.ts";

// ctx.checkpoint(state) on the worker: the run's state is written to TaskRun.state at once, so an
// attempt that follows a crash, a failure or a restore gets it as ctx.state. The first save of an
// attempt, and then at most one every CHECKPOINT_LIMITS.taskCheckpointEveryMs, also takes a TASK
// checkpoint of the whole execution.

/** Writes the state if this worker still holds the run's lease for this attempt; with `snapshot`, also takes a TASK checkpoint. */
export async function saveTaskState(
  sql: Sql,
  opts: { run: ClaimedRun; workerId: string; state: unknown; snapshot: boolean; now: Date },
): Promise<{ held: boolean; updates: ExecutionUpdate[] }> {
  const { run } = opts;
  const write = `UPDATE "TaskRun" SET state = $4::jsonb WHERE id = $1 AND "leaseOwner" = $2 AND attempt = $3 AND status = 'RUNNING' RETURNING id`;
  const params = [run.id, opts.workerId, run.attempt, opts.state === null ? null : JSON.stringify(opts.state)];
  if (!opts.snapshot) return { held: (await sql.query(write, params)).length > 0, updates: [] };
  return sql.tx(async (c) => {
    const exec = await lockExecution(c, run.executionId);
    if (!exec || (await c.query(write, params)).length === 0) return { held: false, updates: [] };
    return { held: true, updates: (await takeCheckpoint(c, exec, opts.now, "TASK", run.key)).updates };
  });
}

/**
 * One run's saves, in order and coalesced: while a write is in flight only the newest state waits for
 * the next one, so a handler that saves in a tight loop costs a bounded number of writes.
 */
export class TaskStateWriter {
  private latest: { state: unknown } | null = null;
  private draining: Promise<void> | null = null;
  private lastSnapshotAt: number | null = null;

  constructor(
    private readonly opts: {
      sql: Sql;
      workerId: string;
      run: ClaimedRun;
      clock: () => Date;
      publish: (updates: readonly ExecutionUpdate[]) => Promise<void>;
      log: { warn(obj: object, msg: string): void };
    },
  ) {}

  /** Resolves once this state (or a newer one) is written; never rejects. */
  save(state: unknown): Promise<void> {
    this.latest = { state };
    return (this.draining ??= this.drain());
  }

  /** Resolves when every save so far is written. */
  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.latest) {
        const { state } = this.latest;
        this.latest = null;
        const now = this.opts.clock();
        const snapshot = this.lastSnapshotAt === null || now.getTime() - this.lastSnapshotAt >= CHECKPOINT_LIMITS.taskCheckpointEveryMs;
        try {
          const { held, updates } = await saveTaskState(this.opts.sql, { run: this.opts.run, workerId: this.opts.workerId, state, snapshot, now });
          if (held && snapshot) this.lastSnapshotAt = now.getTime();
          await this.opts.publish(updates);
        } catch (err) {
          this.opts.log.warn({ err: (err as Error).message, run: this.opts.run.id }, "could not save a task's checkpoint state");
        }
      }
    } finally {
      this.draining = null;
    }
  }
}
