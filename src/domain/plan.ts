import { validatePlan, type PlanSpec, type TaskSpec } from "./dag.ts";
import { ValidationError } from "./errors.ts";
import { validateCheckpointInterval } from "./checkpoint.ts";
import { validateRecoveryRules, type RecoveryRule } from "./recovery.ts";
import { validateRequirements, type ResourceRequirement } from "./resources/requirements.ts";
import { normalizeRetryPolicy, type RetryPolicy, type RetryPolicyInput } from "./retry.ts";

// A plan with its execution policies: the DAG rules (dag.ts) plus limits, retry policies and recovery rules.

export const MAX_LIMIT = 10_000;

export interface PolicyTaskSpec extends TaskSpec {
  retryPolicy?: RetryPolicyInput | null;
  recovery?: readonly RecoveryRule[] | null;
  fallback?: boolean | null;
  /** Validated by validateRequirements (the GraphQL input's constraints are free JSON). */
  resources?: unknown;
}

export interface PolicyPlanSpec extends PlanSpec {
  tasks: readonly PolicyTaskSpec[];
  maxConcurrentExecutions?: number | null;
  maxParallelism?: number | null;
  retryPolicy?: RetryPolicyInput | null;
  /** A PERIODIC checkpoint of each RUNNING execution every this many ms. */
  checkpointIntervalMs?: number | null;
}

export function validateLimit(value: number | null | undefined, field: string): void {
  if (value != null && (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT))
    throw new ValidationError(field, `must be an integer between 1 and ${MAX_LIMIT}`);
}

/**
 * Validates structure and policies; returns the plan's normalized default retry policy, each task's
 * effective one (task fields override the plan's, field by field) and each task's normalized resource requirements.
 */
export function validatePlanSpec(plan: PolicyPlanSpec, handlers: ReadonlySet<string>): { retryPolicy: RetryPolicy; taskPolicies: RetryPolicy[]; taskResources: ResourceRequirement[][] } {
  validatePlan(plan, handlers);
  validateLimit(plan.maxConcurrentExecutions, "maxConcurrentExecutions");
  validateLimit(plan.maxParallelism, "maxParallelism");
  validateCheckpointInterval(plan.checkpointIntervalMs, "checkpointIntervalMs");
  const retryPolicy = normalizeRetryPolicy(plan.retryPolicy, "retryPolicy");
  const fallbacks = new Set(plan.tasks.filter((t) => t.fallback).map((t) => t.key));
  const taskPolicies = plan.tasks.map((t, i) => {
    const at = `tasks[${i}]`;
    if (t.fallback && (t.dependsOn?.length ?? 0) > 0)
      throw new ValidationError(`${at}.dependsOn`, "a fallback task runs in place of a failed task and receives its dependencies' outputs: it cannot have dependsOn of its own");
    const onFallback = (t.dependsOn ?? []).findIndex((d) => fallbacks.has(d));
    if (onFallback >= 0) throw new ValidationError(`${at}.dependsOn[${onFallback}]`, `"${t.dependsOn![onFallback]}" is a fallback task, which may never run: depend on the task it stands in for`);
    validateRecoveryRules(t.recovery ?? [], `${at}.recovery`, t.key, fallbacks);
    return normalizeRetryPolicy(t.retryPolicy, `${at}.retryPolicy`, retryPolicy);
  });
  const taskResources = plan.tasks.map((t, i) => validateRequirements(t.resources, `tasks[${i}].resources`));
  return { retryPolicy, taskPolicies, taskResources };
}
