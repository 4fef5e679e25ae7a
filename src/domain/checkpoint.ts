import { ValidationError } from "./errors.ts";
import { allSatisfied, readyKeys, satisfiedKeys, type TaskState } from "./dag.ts";
import type { TaskStatus } from "./status.ts";

// Checkpoints: a saved state of an execution (which tasks are done, with their outputs and saved
// handler states) that restoreFromCheckpoint rewinds it to. Pure rules; store/checkpoints.ts applies them.

export const CHECKPOINT_REASONS = ["MANUAL", "PERIODIC", "TASK"] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

export const CHECKPOINT_LIMITS = {
  /** Plan.checkpointIntervalMs bounds: at most one periodic checkpoint a second, at least one a day. */
  minIntervalMs: 1000,
  maxIntervalMs: 86_400_000,
  /** ctx.checkpoint(state): bytes of JSON; a larger state is refused (ctx.checkpoint rejects). */
  maxStateBytes: 64 * 1024,
  /** ctx.checkpoint also takes a TASK checkpoint of the execution: the first call of an attempt, then at most one per this many ms. */
  taskCheckpointEveryMs: 5000,
  /** CHECKPOINT_RESTORE recovery restores an execution at most this many times; the next failure aborts it. */
  maxAutomaticRestores: 3,
} as const;

export function validateCheckpointInterval(value: number | null | undefined, field: string): void {
  if (value != null && (!Number.isInteger(value) || value < CHECKPOINT_LIMITS.minIntervalMs || value > CHECKPOINT_LIMITS.maxIntervalMs))
    throw new ValidationError(field, `must be an integer between ${CHECKPOINT_LIMITS.minIntervalMs} and ${CHECKPOINT_LIMITS.maxIntervalMs} (ms)`);
}

/** What a checkpoint keeps of one task (Checkpoint.taskStates[key]). */
export interface CheckpointTaskState {
  status: TaskStatus;
  output: unknown;
  /** The run's last ctx.checkpoint(state). */
  state: unknown;
  attempt: number;
  error: unknown;
  replacedBy: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The tasks a checkpoint counts as done (completed, skipped, or replaced by a completed fallback): a restore keeps them. */
export const checkpointedKeys = (tasks: readonly TaskState[]): string[] => satisfiedKeys(tasks);

export interface RestorePlan {
  /** Tasks done in the checkpoint: they get back its status, output and state, and do not run again. */
  kept: string[];
  /** Every other task: reset (WAITING) with the checkpoint's saved state and a fresh retry budget. */
  reset: string[];
  /** Reset tasks whose dependencies are all done: READY at once. */
  ready: string[];
}

/**
 * How restoring a checkpoint changes an execution's tasks. `tasks` are the execution's task runs now;
 * `saved` holds each task's status and replacedBy in the checkpoint. Throws when nothing would run
 * again (every task was done in the checkpoint): an execution restored to that would never end.
 */
export function planRestore(
  tasks: readonly TaskState[],
  checkpoint: { completedTasks: readonly string[]; saved: Readonly<Record<string, { status: TaskStatus; replacedBy?: string | null }>> },
): RestorePlan | { nothingToRun: true } {
  const done = new Set(checkpoint.completedTasks);
  const keep = (key: string) => done.has(key) && Object.hasOwn(checkpoint.saved, key);
  const after: TaskState[] = tasks.map((t) =>
    keep(t.key) ? { ...t, status: checkpoint.saved[t.key]!.status, replacedBy: checkpoint.saved[t.key]!.replacedBy ?? null } : { ...t, status: "WAITING", replacedBy: null },
  );
  if (allSatisfied(after)) return { nothingToRun: true };
  return {
    kept: tasks.filter((t) => keep(t.key)).map((t) => t.key),
    reset: tasks.filter((t) => !keep(t.key)).map((t) => t.key),
    ready: readyKeys(after),
  };
}

/**
 * CHECKPOINT_RESTORE recovery: restore the newest checkpoint, unless there is none or this execution
 * was already restored automatically maxAutomaticRestores times (a failure that recurs after every
 * restore would otherwise loop forever); then the execution aborts with the reason.
 */
export function decideAutomaticRestore(input: { latestCheckpointId: string | null; automaticRestores: number }): { restore: string } | { abort: string } {
  if (!input.latestCheckpointId) return { abort: "no checkpoint to restore" };
  const max = CHECKPOINT_LIMITS.maxAutomaticRestores;
  if (input.automaticRestores >= max) return { abort: `automatic restores exhausted: ${input.automaticRestores} of ${max}` };
  return { restore: input.latestCheckpointId };
}
