import { CycleError, DuplicateTaskKeyError, UnknownDependencyError, UnknownHandlerError, ValidationError } from "./errors.ts";
import type { Priority, TaskStatus } from "./status.ts";

/**
 * Bounds on what one plan may hold; inputs beyond them are rejected, never truncated. A finish touches
 * only its own dependants (store/dependencies.ts): what bounds a fan-in is the context its run receives.
 */
export const PLAN_LIMITS = {
  maxTasks: 10_000,
  /** A run's context holds every dependency's output (at most 256 KiB each: engine/runner.ts), so at most 64 MiB. */
  maxDependsOn: 256,
  maxNameLength: 200,
  maxDescriptionLength: 2000,
  maxTaskInputBytes: 64 * 1024,
  maxTimeoutMs: 24 * 60 * 60 * 1000,
} as const;

const KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export interface TaskSpec {
  key: string;
  name?: string | null;
  handler: string;
  input?: unknown;
  dependsOn?: readonly string[] | null;
  priority?: Priority | null;
  timeoutMs?: number | null;
}

export interface PlanSpec {
  name: string;
  description?: string | null;
  tasks: readonly TaskSpec[];
}

/** Byte size of a JSON value as it will be stored. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), "utf8");
}

/**
 * Checks a plan before anything is written. Throws the first problem found, as a typed error naming
 * the field (`tasks[2].dependsOn[0]`) and the reason.
 */
export function validatePlan(plan: PlanSpec, handlers: ReadonlySet<string>): void {
  const name = plan.name.trim();
  if (name.length === 0) throw new ValidationError("name", "must not be empty");
  if (name.length > PLAN_LIMITS.maxNameLength) throw new ValidationError("name", `must be at most ${PLAN_LIMITS.maxNameLength} characters`);
  if ((plan.description?.length ?? 0) > PLAN_LIMITS.maxDescriptionLength)
    throw new ValidationError("description", `must be at most ${PLAN_LIMITS.maxDescriptionLength} characters`);
  if (plan.tasks.length === 0) throw new ValidationError("tasks", "a plan needs at least one task");
  if (plan.tasks.length > PLAN_LIMITS.maxTasks) throw new ValidationError("tasks", `a plan may hold at most ${PLAN_LIMITS.maxTasks} tasks`);

  const keys = new Set<string>();
  plan.tasks.forEach((task, i) => {
    const at = `tasks[${i}]`;
    if (!KEY_PATTERN.test(task.key))
      throw new ValidationError(`${at}.key`, "must be 1-64 characters of letters, digits, '_', '.' or '-', not starting with '.' or '-'");
    if (keys.has(task.key)) throw new DuplicateTaskKeyError(`${at}.key`, task.key);
    keys.add(task.key);
    if ((task.name?.length ?? 0) > PLAN_LIMITS.maxNameLength)
      throw new ValidationError(`${at}.name`, `must be at most ${PLAN_LIMITS.maxNameLength} characters`);
    if (!handlers.has(task.handler)) throw new UnknownHandlerError(`${at}.handler`, task.handler, [...handlers].sort());
    if (jsonBytes(task.input) > PLAN_LIMITS.maxTaskInputBytes)
      throw new ValidationError(`${at}.input`, `must be at most ${PLAN_LIMITS.maxTaskInputBytes} bytes of JSON`);
    const timeout = task.timeoutMs;
    if (timeout != null && (!Number.isInteger(timeout) || timeout < 1 || timeout > PLAN_LIMITS.maxTimeoutMs))
      throw new ValidationError(`${at}.timeoutMs`, `must be an integer between 1 and ${PLAN_LIMITS.maxTimeoutMs}`);
    const deps = task.dependsOn ?? [];
    if (deps.length > PLAN_LIMITS.maxDependsOn)
      throw new ValidationError(`${at}.dependsOn`, `may name at most ${PLAN_LIMITS.maxDependsOn} tasks`);
    if (new Set(deps).size !== deps.length) throw new ValidationError(`${at}.dependsOn`, "names a task more than once");
    if (deps.includes(task.key)) throw new CycleError([task.key, task.key]);
  });
  plan.tasks.forEach((task, i) =>
    (task.dependsOn ?? []).forEach((dep, j) => {
      if (!keys.has(dep)) throw new UnknownDependencyError(`tasks[${i}].dependsOn[${j}]`, task.key, dep);
    }),
  );
  const cycle = findCycle(plan.tasks);
  if (cycle) throw new CycleError(cycle);
}

/**
 * A cycle in run order (`a → b` means b depends on a), closed on its first key, or null.
 * Iterative DFS so a long chain cannot overflow the stack.
 */
export function findCycle(tasks: readonly Pick<TaskSpec, "key" | "dependsOn">[]): string[] | null {
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.key, []]));
  for (const t of tasks) for (const dep of t.dependsOn ?? []) dependants.get(dep)?.push(t.key);
  const state = new Map<string, "open" | "done">();
  for (const root of dependants.keys()) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: { key: string; next: number }[] = [{ key: root, next: 0 }];
    state.set(root, "open");
    path.push(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = dependants.get(frame.key)!;
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        const s = state.get(child);
        if (s === "open") return [...path.slice(path.indexOf(child)), child];
        if (s === undefined) {
          state.set(child, "open");
          path.push(child);
          stack.push({ key: child, next: 0 });
        }
      } else {
        state.set(frame.key, "done");
        path.pop();
        stack.pop();
      }
    }
  }
  return null;
}

export interface TaskState {
  key: string;
  dependsOn: readonly string[];
  status: TaskStatus;
  /** Runs only when a FALLBACK recovery invokes it. */
  fallback?: boolean;
  /** Key of the fallback run standing in for this failed one. */
  replacedBy?: string | null;
}

/**
 * Whether dependants may use this task: it completed, was skipped (SKIP recovery: dependants go on
 * without its output), or failed and its fallback completed in its place.
 */
function satisfied(task: TaskState, byKey: ReadonlyMap<string, TaskState>): boolean {
  if (task.status === "COMPLETED" || task.status === "SKIPPED") return true;
  return !!task.replacedBy && byKey.get(task.replacedBy)?.status === "COMPLETED";
}

/** Tasks that are done: completed, skipped, or failed and replaced by a completed fallback (fallbacks that completed included). */
export function satisfiedKeys(tasks: readonly TaskState[]): string[] {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  return tasks.filter((t) => satisfied(t, byKey)).map((t) => t.key);
}

/** WAITING tasks (not fallbacks) whose dependencies are all satisfied: they become READY now. */
export function readyKeys(tasks: readonly TaskState[]): string[] {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  return tasks
    .filter((t) => t.status === "WAITING" && !t.fallback && t.dependsOn.every((d) => { const dep = byKey.get(d); return !!dep && satisfied(dep, byKey); }))
    .map((t) => t.key);
}

/** Every regular task is satisfied: the execution has completed (unused fallbacks do not count). */
export function allSatisfied(tasks: readonly TaskState[]): boolean {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  return tasks.every((t) => t.fallback || satisfied(t, byKey));
}

/** For each task, the keys of the tasks that depend on it, in plan order. */
export function dependantsOf(tasks: readonly Pick<TaskState, "key" | "dependsOn">[]): Map<string, string[]> {
  const dependants = new Map<string, string[]>(tasks.map((t) => [t.key, []]));
  for (const t of tasks) for (const d of new Set(t.dependsOn)) if (d !== t.key) dependants.get(d)?.push(t.key);
  return dependants;
}

/** Keys a retryExecution runs again: every failed, timed-out or cancelled task and all its dependants. */
export function retryKeys(tasks: readonly TaskState[], retryable: readonly TaskStatus[]): string[] {
  const dependants = dependantsOf(tasks);
  const out = new Set<string>();
  const stack = tasks.filter((t) => retryable.includes(t.status) && !t.replacedBy && !(t.fallback && t.status === "CANCELLED")).map((t) => t.key);
  while (stack.length > 0) {
    const key = stack.pop()!;
    if (out.has(key)) continue;
    out.add(key);
    stack.push(...(dependants.get(key) ?? []));
  }
  return tasks.filter((t) => out.has(t.key) && t.status !== "COMPLETED" && t.status !== "SKIPPED").map((t) => t.key);
}
