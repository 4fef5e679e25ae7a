import type { Sql } from "../infra/sql.ts";
import { CHECKPOINT_LIMITS } from "../domain/checkpoint.ts";
import { takeCheckpoint } from "./checkpoints.ts";
import { lockExecution } from "./outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
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

/** A state that was not stored: the write failed, or this worker no longer holds the run. */
class StateNotSaved extends Error {
  override name = "StateNotSaved";
}

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One run's saves, in order and coalesced: while a write is in flight only the newest state waits for
 * the next one, so a handler that saves in a tight loop costs a bounded number of writes.
 */
export class TaskStateWriter {
  /** The newest state not yet written, and every save it stands for (the ones it superseded too). */
  private pending: { state: unknown; waiters: Waiter[] } | null = null;
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

  /** Resolves once this state (or a newer one) is written; rejects with StateNotSaved when that write failed or was refused. */
  save(state: unknown): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiters = this.pending?.waiters ?? [];
      waiters.push({ resolve, reject });
      this.pending = { state, waiters };
      this.draining ??= this.drain();
    });
  }

  /** Resolves when every save so far is written or refused; never rejects. */
  idle(): Promise<void> {
    return this.draining ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const { state, waiters } = this.pending;
        this.pending = null;
        const outcome = await this.write(state);
        for (const w of waiters) if (outcome) w.reject(outcome);
        else w.resolve();
      }
    } finally {
      this.draining = null;
    }
  }

  /** Writes one state; returns why it was not stored, or null. */
  private async write(state: unknown): Promise<StateNotSaved | null> {
    const { run, sql, workerId } = this.opts;
    const now = this.opts.clock();
    const snapshot = this.lastSnapshotAt === null || now.getTime() - this.lastSnapshotAt >= CHECKPOINT_LIMITS.taskCheckpointEveryMs;
    let result: Awaited<ReturnType<typeof saveTaskState>>;
    try {
      result = await saveTaskState(sql, { run, workerId, state, snapshot, now });
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message, run: run.id }, "could not save a task's checkpoint state");
      return new StateNotSaved(`the write failed: ${(err as Error).message}`, { cause: err });
    }
    if (!result.held) return new StateNotSaved("this attempt no longer holds the run (its lease was lost, or the run was cancelled or restored)");
    if (snapshot) this.lastSnapshotAt = now.getTime();
    await this.opts.publish(result.updates);
    return null;
  }
}
