// Concurrency limits applied to claim candidates, in claim order: per execution (maxParallelism) and
// per plan (maxConcurrentExecutions: executions of the plan RUNNING at once). Worker-wide concurrency
// is the `free` slot count.

export interface ClaimCandidate {
  id: string;
  executionId: string;
  planId: string;
  /** The execution is RUNNING already (so it does not count again against its plan's limit). */
  executionStarted: boolean;
}

export interface LimitState {
  /** Runs RUNNING now, per execution. */
  runningByExecution: ReadonlyMap<string, number>;
  /** null: no limit. */
  maxParallelism: ReadonlyMap<string, number | null>;
  /** Executions RUNNING now, per plan. */
  runningExecutionsByPlan: ReadonlyMap<string, number>;
  /** null: no limit. */
  maxConcurrentExecutions: ReadonlyMap<string, number | null>;
}

/**
 * The candidates to claim, in order, without exceeding any limit. `admit` (e.g. "its resources were
 * granted") is asked only of candidates within the limits; one it refuses takes no slot.
 */
export function applyLimits(candidates: readonly ClaimCandidate[], free: number, state: LimitState, admit: (id: string) => boolean = () => true): string[] {
  const running = new Map(state.runningByExecution);
  const planRunning = new Map(state.runningExecutionsByPlan);
  const started = new Set(candidates.filter((c) => c.executionStarted).map((c) => c.executionId));
  const chosen: string[] = [];
  for (const c of candidates) {
    if (chosen.length >= free) break;
    const parallel = state.maxParallelism.get(c.executionId) ?? null;
    if (parallel !== null && (running.get(c.executionId) ?? 0) >= parallel) continue;
    const starts = !started.has(c.executionId);
    const cap = starts ? (state.maxConcurrentExecutions.get(c.planId) ?? null) : null;
    if (cap !== null && (planRunning.get(c.planId) ?? 0) >= cap) continue;
    if (!admit(c.id)) continue;
    if (starts) {
      planRunning.set(c.planId, (planRunning.get(c.planId) ?? 0) + 1);
      started.add(c.executionId);
    }
    running.set(c.executionId, (running.get(c.executionId) ?? 0) + 1);
    chosen.push(c.id);
  }
  return chosen;
}
