import type { SqlClient } from "../infra/sql.ts";
import { CLAIMABLE_EXECUTION_STATUSES, type Priority, type TaskStatus } from "../domain/status.ts";
import { effectiveRankSql } from "../domain/aging.ts";
import { applyLimits, type ClaimCandidate, type LimitState } from "../domain/limits.ts";
import { appendEvents, lockExecution, type NewEvent } from "./outbox.ts";
import type { ExecutionUpdate } from "../services/updates.ts";
import type { Sql } from "../infra/sql.ts";
import { createAllocator, type AllocationOutcome } from "../domain/resources/allocate.ts";
import type { ResourceRequirement } from "../domain/resources/requirements.ts";
import { lockPools, type AllocationRow } from "./resources.ts";
import { allocateRuns, NOT_WAITING, recordWaiting, type WaitingRun } from "./claim-resources.ts";

export interface ClaimedRun {
  id: string;
  executionId: string;
  key: string;
  name: string;
  handler: string;
  input: unknown;
  dependsOn: string[];
  priority: Priority;
  timeoutMs: number | null;
  status: TaskStatus;
  attempt: number;
  attemptBase: number;
  retryPolicy: unknown;
  recovery: unknown;
  fallback: boolean;
  resources: ResourceRequirement[];
  /** What this attempt holds (ctx.resources). */
  allocations: AllocationRow[];
}

export const RUN_COLUMNS = `t.id, t."executionId", t.key, t.name, t.handler, t.input, t."dependsOn", t.priority, t."timeoutMs", t.status,
  t.attempt, t."attemptBase", t."retryPolicy", t.recovery, t.fallback, t.resources`;

/**
 * Runs with resource requirements get their own candidate window, so ones waiting for resources never
 * crowd out the others; runs no pool could ever serve stay out of it until a pool changes.
 */
const RESOURCE_WINDOW = 64;

interface Locked extends ClaimCandidate, WaitingRun {
  maxParallelism: number | null;
}

/**
 * Claims up to `limit` runs that are READY (or RETRYING and due) in claimable, unpaused executions:
 * best effective priority first (aging: see domain/aging.ts), then readiness. Two steps: pick candidates
 * without locks (a window function skips what maxParallelism rules out), then lock them FOR UPDATE
 * SKIP LOCKED together with their executions, recount under those locks and apply every limit exactly.
 */
export async function claimRuns(
  sql: Sql,
  opts: { workerId: string; limit: number; leaseMs: number; agingStepMs: number; now: Date },
): Promise<{ runs: ClaimedRun[]; updates: ExecutionUpdate[] }> {
  // A requirement's own priority, if better, lifts the run (least: the enum's order is CRITICAL first).
  const eff = effectiveRankSql('least(t.priority, t."resourcePriority")', 'coalesce(t."nextAttemptAt", t."readyAt")', "$2::timestamptz", "$3::int");
  const due = `(t.status = 'READY' OR (t.status = 'RETRYING' AND t."nextAttemptAt" <= $2::timestamptz))`;
  const claimable = `e.status = ANY($4::text[]::"ExecutionStatus"[]) AND NOT e."pauseRequested"`;
  const candidates = await sql.query<{ id: string; needsResources: boolean; resources: ResourceRequirement[] }>(
    `WITH c AS (
       SELECT t.id, t."needsResources", t.resources, t.unsatisfiable, ${eff} AS eff, coalesce(t."nextAttemptAt", t."readyAt") AS since, t.position,
              row_number() OVER (PARTITION BY t."executionId", t."needsResources" ORDER BY ${eff}, coalesce(t."nextAttemptAt", t."readyAt"), t.position) AS n,
              coalesce(e."maxParallelism", 2147483647)
                - (SELECT count(*) FROM "TaskRun" r WHERE r."executionId" = t."executionId" AND r.status = 'RUNNING') AS slots
         FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
        WHERE ${due} AND ${claimable})
     (SELECT id, "needsResources", resources FROM c WHERE n <= slots AND NOT "needsResources" ORDER BY eff, since, position LIMIT $1)
     UNION ALL
     (SELECT id, "needsResources", resources FROM c WHERE n <= slots AND "needsResources" AND NOT unsatisfiable ORDER BY eff, since, position LIMIT $5)`,
    [opts.limit * 2, opts.now, opts.agingStepMs, CLAIMABLE_EXECUTION_STATUSES, RESOURCE_WINDOW],
  );
  if (candidates.length === 0) return { runs: [], updates: [] };
  return sql.tx(async (c) => {
    // Pools first, then runs: a claim that skips a run another claim holds (SKIP LOCKED) has waited for
    // that claim's pools, so a waiting run's reservation is never bypassed by a concurrent claim.
    // A run's requirements never change, so the candidates' copy serves the rest of the claim.
    const needs = new Map(candidates.filter((r) => r.needsResources).map((r) => [r.id, r.resources]));
    const pools = await lockPools(c, [...needs.values()].flatMap((reqs) => reqs.map((q) => q.type)));
    const locked = await c.query<Locked>(
      `SELECT t.id, t."executionId", e."planId", e.status = 'RUNNING' AS "executionStarted", e."maxParallelism",
              t."waitingFor", t.unsatisfiable
         FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
        WHERE t.id = ANY($1::uuid[]) AND ${due} AND ${claimable}
        ORDER BY ${eff}, coalesce(t."nextAttemptAt", t."readyAt"), t.position
        FOR UPDATE OF t, e SKIP LOCKED`,
      [candidates.map((r) => r.id), opts.now, opts.agingStepMs, CLAIMABLE_EXECUTION_STATUSES],
    );
    if (locked.length === 0) return { runs: [], updates: [] };
    // Resources are decided in claim order for the runs within every limit; a run that waits takes no slot.
    const allocator = createAllocator(pools);
    const outcomes = new Map<string, AllocationOutcome>();
    const chosen = applyLimits(locked, opts.limit, await limitState(c, locked), (id) => {
      const requirements = needs.get(id);
      if (!requirements) return true;
      const outcome = allocator.decide({ id, rank: 0, requirements });
      outcomes.set(id, outcome);
      return outcome.kind === "granted";
    });
    await recordWaiting(c, locked, outcomes);
    if (chosen.length === 0) return { runs: [], updates: [] };
    const runs = await c.query<ClaimedRun>(
      `UPDATE "TaskRun" t
          SET status = 'RUNNING', attempt = t.attempt + 1, "startedAt" = $2, "finishedAt" = NULL, "nextAttemptAt" = NULL,
              progress = NULL, phase = NULL, "leaseOwner" = $3, "leaseExpiresAt" = $4, ${NOT_WAITING}
        WHERE t.id = ANY($1::uuid[])
       RETURNING ${RUN_COLUMNS}`,
      [chosen, opts.now, opts.workerId, new Date(opts.now.getTime() + opts.leaseMs)],
    );
    const allocations = await allocateRuns(c, runs, outcomes, opts.now);
    const updates: ExecutionUpdate[] = [];
    for (const executionId of new Set(runs.map((r) => r.executionId))) {
      const exec = (await lockExecution(c, executionId))!;
      const events: NewEvent[] = [];
      const first = exec.status === "PENDING";
      if (first) events.push({ type: "EXECUTION_STARTED", status: "RUNNING", message: "execution started" });
      for (const r of runs.filter((r) => r.executionId === executionId)) {
        r.allocations = allocations.filter((a) => a.taskRunId === r.id);
        if (r.allocations.length)
          events.push({
            type: "RESOURCE_ALLOCATED",
            taskKey: r.key,
            message: `task ${r.key} holds ${r.allocations.map((a) => `${a.amount} of ${a.resourceName}`).join(", ")}`,
            data: { allocations: r.allocations.map((a) => ({ id: a.id, resourceId: a.resourceId, resource: a.resourceName, type: a.type, amount: a.amount })) },
          });
        events.push({ type: "TASK_STARTED", taskKey: r.key, message: `task ${r.key} started (attempt ${r.attempt})`, data: { attempt: r.attempt, worker: opts.workerId } });
      }
      // The execution's timeout runs from its first task start.
      const start = first ? { startedAt: opts.now, deadlineAt: exec.timeoutMs ? new Date(opts.now.getTime() + exec.timeoutMs) : null } : {};
      updates.push(...(await appendEvents(c, exec, events, opts.now, start)));
    }
    return { runs, updates };
  });
}

/**
 * Running counts and limits for the locked candidates; plan rows are locked so plans start executions one
 * claim at a time. A started execution that is PAUSED keeps its plan slot: resuming it makes it RUNNING
 * without a claim, so letting another execution take the slot meanwhile would exceed the limit.
 */
async function limitState(c: SqlClient, locked: readonly Locked[]): Promise<LimitState> {
  const executionIds = [...new Set(locked.map((l) => l.executionId))];
  const planIds = [...new Set(locked.filter((l) => !l.executionStarted).map((l) => l.planId))];
  const running = await c.query<{ executionId: string; n: number }>(
    `SELECT "executionId", count(*)::int AS n FROM "TaskRun" WHERE "executionId" = ANY($1::uuid[]) AND status = 'RUNNING' GROUP BY "executionId"`,
    [executionIds],
  );
  const plans = planIds.length
    ? await c.query<{ id: string; max: number | null; running: number }>(
        `SELECT p.id, p."maxConcurrentExecutions" AS max,
                (SELECT count(*)::int FROM "Execution" x WHERE x."planId" = p.id
                   AND (x.status = 'RUNNING' OR (x.status = 'PAUSED' AND x."startedAt" IS NOT NULL))) AS running
           FROM "Plan" p WHERE p.id = ANY($1::uuid[]) ORDER BY p.id FOR UPDATE`,
        [planIds],
      )
    : [];
  return {
    runningByExecution: new Map(running.map((r) => [r.executionId, r.n])),
    maxParallelism: new Map(locked.map((l) => [l.executionId, l.maxParallelism])),
    runningExecutionsByPlan: new Map(plans.map((p) => [p.id, p.running])),
    maxConcurrentExecutions: new Map(plans.map((p) => [p.id, p.max])),
  };
}

export interface Heartbeat {
  id: string;
  progress: number | null;
  phase: string | null;
}

/**
 * Extends the leases this worker holds and stores the runs' reported progress. Returns the ids it no
 * longer holds (cancelled, ended or taken over) and the executions with a pause pending.
 */
export async function renewLeases(
  sql: Sql,
  opts: { workerId: string; runs: readonly Heartbeat[]; leaseMs: number; now: Date },
): Promise<{ lost: string[]; pausing: Set<string> }> {
  if (opts.runs.length === 0) return { lost: [], pausing: new Set() };
  const held = await sql.query<{ id: string; executionId: string; pauseRequested: boolean }>(
    `UPDATE "TaskRun" t SET "leaseExpiresAt" = $3, progress = coalesce(h.progress, t.progress), phase = coalesce(h.phase, t.phase)
       FROM jsonb_to_recordset($1::jsonb) AS h(id uuid, progress float8, phase text), "Execution" e
      WHERE t.id = h.id AND e.id = t."executionId" AND t."leaseOwner" = $2 AND t.status = 'RUNNING'
      RETURNING t.id, t."executionId", e."pauseRequested"`,
    [JSON.stringify(opts.runs), opts.workerId, new Date(opts.now.getTime() + opts.leaseMs)],
  );
  const kept = new Set(held.map((r) => r.id));
  return { lost: opts.runs.map((r) => r.id).filter((id) => !kept.has(id)), pausing: new Set(held.filter((r) => r.pauseRequested).map((r) => r.executionId)) };
}

export interface RunContext {
  execution: { id: string; planId: string; priority: Priority; params: unknown; deadlineAt: Date | null; pauseRequested: boolean };
  dependencies: Record<string, unknown>;
  /** The run's last saved ctx.checkpoint state (ctx.state), or null. */
  state: unknown;
}

/**
 * What the handler's context exposes: the execution, and the outputs of the run's dependencies (a
 * fallback run gets those of the task it stands in for; a dependency replaced by a fallback gives the
 * fallback's output; a skipped one gives null), and the run's saved state.
 */
export async function loadRunContext(c: SqlClient, run: ClaimedRun): Promise<RunContext> {
  const [{ state, ...execution }] = (await c.query<RunContext["execution"] & { state: unknown }>(
    `SELECT id, "planId", priority, params, "deadlineAt", "pauseRequested", (SELECT state FROM "TaskRun" WHERE id = $2) AS state FROM "Execution" WHERE id = $1`,
    [run.executionId, run.id],
  )) as [RunContext["execution"] & { state: unknown }];
  let dependsOn = run.dependsOn;
  if (run.fallback) {
    const [replaced] = await c.query<{ dependsOn: string[] }>(`SELECT "dependsOn" FROM "TaskRun" WHERE "executionId" = $1 AND "replacedBy" = $2`, [run.executionId, run.key]);
    dependsOn = replaced?.dependsOn ?? [];
  }
  const deps = dependsOn.length
    ? await c.query<{ key: string; output: unknown }>(
        `SELECT t.key, coalesce(f.output, t.output) AS output
           FROM "TaskRun" t LEFT JOIN "TaskRun" f ON f."executionId" = t."executionId" AND f.key = t."replacedBy"
          WHERE t."executionId" = $1 AND t.key = ANY($2::text[])`,
        [run.executionId, dependsOn],
      )
    : [];
  return { execution, dependencies: Object.fromEntries(deps.map((d) => [d.key, d.output ?? null])), state: state ?? null };
}
