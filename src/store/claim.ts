import type { SqlClient } from "../infra/sql.ts";
import { CLAIMABLE_EXECUTION_STATUSES, type Priority, type TaskStatus } from "../domain/status.ts";
import { effectiveRankSql } from "../domain/aging.ts";
import { applyLimits, type ClaimCandidate, type LimitState } from "../domain/limits.ts";
import { appendEventsBatch, lockedExecutionColumns, lockedExecutionsOf, type Append, type NewEvent } from "./outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";
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
  /** Some task depends on this one: its end counts off their dependencies (store/dependencies.ts). */
  hasDependants: boolean;
  resources: ResourceRequirement[];
  /** What this attempt holds (ctx.resources). */
  allocations: AllocationRow[];
  /** What its handler's context exposes, read as it was claimed. */
  context: RunContext;
}

export const RUN_COLUMNS = `t.id, t."executionId", t.key, t.name, t.handler, t.input, t."dependsOn", t.priority, t."timeoutMs", t.status,
  t.attempt, t."attemptBase", t."retryPolicy", t.recovery, t.fallback, t.resources, t.dependants <> '{}' AS "hasDependants"`;

/**
 * Runs with resource requirements get their own candidate window, so ones waiting for resources never
 * crowd out the others; runs no pool could ever serve stay out of it until a pool changes.
 */
const RESOURCE_WINDOW = 64;

/**
 * The limited candidates are read in the order of their partial index ("TaskRun_limited_idx"): ordered
 * and LIMITed (by a bound no queue reaches, so nothing is cut), the scan of that index is the plan's
 * choice whatever the statistics say. Never analyzed (autovacuum off), the planner otherwise picked a
 * bitmap scan of every READY run, free ones included: test/claim.int.test.ts counts the buffers.
 */
const LIMITED_SCAN = 2147483647;

/** A locked candidate and where it stands in claim order. */
interface Locked extends ClaimCandidate, WaitingRun {
  maxParallelism: number | null;
  eff: number;
  since: Date | null;
  position: number;
}

const LOCKED_COLUMNS = `t.id, t."executionId", e."planId", e.status = 'RUNNING' AS "executionStarted", e."maxParallelism", t."waitingFor", t.unsatisfiable, t.position`;
const CLAIMABLE = `e.status = ANY($3::text[]::"ExecutionStatus"[]) AND NOT e."pauseRequested"`;

/**
 * Runs under no limit, locked with their executions: per priority the oldest READY ones, and the
 * retries due longest, each an index walk ("TaskRun_ready_idx", "TaskRun_retry_idx") that stops at
 * `limit` rows, skipping what another claim holds. Its cost does not depend on the queue's depth.
 */
const FREE = (eff: string) => `
  SELECT r.* FROM unnest(enum_range(NULL::"Priority")) AS p(priority), LATERAL (
    SELECT ${LOCKED_COLUMNS}, ${lockedExecutionColumns("e")}, (${eff})::float8 AS eff, t."readyAt" AS since
      FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
     WHERE t.priority = p.priority AND t.status = 'READY' AND NOT t.limited AND ${CLAIMABLE}
     ORDER BY t."readyAt", t.position LIMIT $1 FOR UPDATE OF t, e SKIP LOCKED) r
  UNION ALL
  SELECT q.* FROM (
    SELECT ${LOCKED_COLUMNS}, ${lockedExecutionColumns("e")}, (${eff})::float8 AS eff, t."nextAttemptAt" AS since
      FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
     WHERE t.status = 'RETRYING' AND NOT t.limited AND t."nextAttemptAt" <= $2::timestamptz AND ${CLAIMABLE}
     ORDER BY t."nextAttemptAt" LIMIT $1 FOR UPDATE OF t, e SKIP LOCKED) q`;

/**
 * Claims up to `limit` runs that are READY (or RETRYING and due) in claimable, unpaused executions:
 * best effective priority first (aging: see domain/aging.ts), then readiness; in one transaction that
 * also appends their executions' events. Runs under no limit come from the index walks (FREE); limited
 * runs (store/executions.ts decides which) are ranked with a window function that skips what
 * maxParallelism rules out, locked, and weighed against every limit and their resources under those
 * locks. Both kinds meet in one claim order.
 */
export function claimRuns(sql: Sql, opts: ClaimOptions): Promise<Claimed> {
  return sql.tx((c) => claimRunsIn(c, opts));
}

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  agingStepMs: number;
  clock: () => Date;
}

export interface Claimed {
  runs: ClaimedRun[];
  updates: ExecutionUpdate[];
}

/** claimRuns inside a transaction already open (a finish that claims for the slots it frees: store/finish.ts). */
export async function claimRunsIn(c: SqlClient, opts: ClaimOptions): Promise<Claimed> {
  const now = opts.clock(); // what is due
  // A requirement's own priority, if better, lifts the run (least: the enum's order is CRITICAL first).
  const eff = (priority: string) => effectiveRankSql(priority, 'coalesce(t."nextAttemptAt", t."readyAt")', "$2::timestamptz", "$4::int");
  const due = `(t.status = 'READY' OR (t.status = 'RETRYING' AND t."nextAttemptAt" <= $2::timestamptz))`;
  const params = [opts.limit, now, CLAIMABLE_EXECUTION_STATUSES, opts.agingStepMs];
  const candidates = await c.query<{ id: string; needsResources: boolean; resources: ResourceRequirement[] }>(
    `WITH c AS (
       SELECT t.id, t."needsResources", t.resources, t.unsatisfiable, ${eff('least(t.priority, t."resourcePriority")')} AS eff, coalesce(t."nextAttemptAt", t."readyAt") AS since, t.position,
              row_number() OVER (PARTITION BY t."executionId", t."needsResources" ORDER BY ${eff('least(t.priority, t."resourcePriority")')}, coalesce(t."nextAttemptAt", t."readyAt"), t.position) AS n,
              coalesce(e."maxParallelism", 2147483647)
                - (SELECT count(*) FROM "TaskRun" r WHERE r."executionId" = t."executionId" AND r.status = 'RUNNING') AS slots
         FROM (SELECT * FROM "TaskRun" WHERE status IN ('READY', 'RETRYING') AND limited ORDER BY "executionId" LIMIT ${LIMITED_SCAN}) t
         JOIN "Execution" e ON e.id = t."executionId"
        WHERE ${due} AND ${CLAIMABLE})
     (SELECT id, "needsResources", resources FROM c WHERE n <= slots AND NOT "needsResources" ORDER BY eff, since, position LIMIT $1)
     UNION ALL
     (SELECT id, "needsResources", resources FROM c WHERE n <= slots AND "needsResources" AND NOT unsatisfiable ORDER BY eff, since, position LIMIT $5)`,
    [opts.limit * 2, now, CLAIMABLE_EXECUTION_STATUSES, opts.agingStepMs, RESOURCE_WINDOW],
  );
  // Pools first, then runs: a claim that skips a run another claim holds (SKIP LOCKED) has waited for
  // that claim's pools, so a waiting run's reservation is never bypassed by a concurrent claim.
  // A run's requirements never change, so the candidates' copy serves the rest of the claim.
  const needs = new Map(candidates.filter((r) => r.needsResources).map((r) => [r.id, r.resources]));
  const pools = await lockPools(c, [...needs.values()].flatMap((reqs) => reqs.map((q) => q.type)));
  // The runs are locked with their executions, whose rows come back with them (lockedExecutionsOf).
  const free = await c.query<Locked & Record<string, unknown>>(FREE(eff("t.priority")), params);
  const limited = candidates.length
    ? await c.query<Locked & Record<string, unknown>>(
        `SELECT ${LOCKED_COLUMNS}, ${lockedExecutionColumns("e")}, (${eff('least(t.priority, t."resourcePriority")')})::float8 AS eff, coalesce(t."nextAttemptAt", t."readyAt") AS since
           FROM "TaskRun" t JOIN "Execution" e ON e.id = t."executionId"
          WHERE t.id = ANY($1::uuid[]) AND ${due} AND ${CLAIMABLE}
          FOR UPDATE OF t, e SKIP LOCKED`,
        [candidates.map((r) => r.id), ...params.slice(1)],
      )
    : [];
  const locked = [...free, ...limited].sort(claimOrder);
  if (locked.length === 0) return { runs: [], updates: [] };
  // Resources are decided in claim order for the runs within every limit; a run that waits takes no slot.
  const allocator = createAllocator(pools);
  const outcomes = new Map<string, AllocationOutcome>();
  const chosen = applyLimits(locked, opts.limit, await limitState(c, limited), (id) => {
    const requirements = needs.get(id);
    if (!requirements) return true;
    const outcome = allocator.decide({ id, rank: 0, requirements });
    outcomes.set(id, outcome);
    return outcome.kind === "granted";
  });
  await recordWaiting(c, limited, outcomes);
  if (chosen.length === 0) return { runs: [], updates: [] };
  // The start is timed once the locks and limits have seen what ended before it (a plan slot freed by
  // a finish that committed while this claim waited): a start never predates the end that allowed it.
  const at = new Date(Math.max(now.getTime(), opts.clock().getTime()));
  // The runs start, returning with them what their handlers' contexts need (execution, dependencies' outputs, saved state).
  const started = await c.query<ClaimedRun & ClaimedContext>(
    `UPDATE "TaskRun" t
        SET status = 'RUNNING', attempt = t.attempt + 1, "startedAt" = $2, "finishedAt" = NULL, "nextAttemptAt" = NULL,
            progress = NULL, phase = NULL, "leaseOwner" = $3, "leaseExpiresAt" = $4, ${NOT_WAITING}
       FROM "Execution" e
      WHERE t.id = ANY($1::uuid[]) AND e.id = t."executionId"
     RETURNING ${RUN_COLUMNS}, ${CONTEXT_COLUMNS}`,
    [chosen, at, opts.workerId, new Date(at.getTime() + opts.leaseMs)],
  );
  // In claim order (the UPDATE returns rows in any order): their TASK_STARTED events follow it.
  const rank = new Map(chosen.map((id, i) => [id, i]));
  started.sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const runs: ClaimedRun[] = started.map(({ ctxPlanId, ctxPriority, ctxParams, ctxState, ctxDependencies, ...run }) =>
    Object.assign(run, { context: { execution: { id: run.executionId, planId: ctxPlanId, priority: ctxPriority, params: ctxParams, deadlineAt: null, pauseRequested: false }, dependencies: ctxDependencies, state: ctxState ?? null } }),
  );
  const allocations = await allocateRuns(c, runs, outcomes, at);
  const appends: Append[] = [];
  // Every one of these executions was locked, and read, with its runs.
  const claimed = new Set(runs.map((r) => r.executionId));
  for (const exec of lockedExecutionsOf(locked).filter((e) => claimed.has(e.id))) {
    const events: NewEvent[] = [];
    const first = exec.status === "PENDING";
    if (first) events.push({ type: "EXECUTION_STARTED", status: "RUNNING", message: "execution started" });
    for (const r of runs.filter((r) => r.executionId === exec.id)) {
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
    appends.push({ exec, events, patch: first ? { startedAt: at, deadlineAt: exec.timeoutMs ? new Date(at.getTime() + exec.timeoutMs) : null } : {} });
  }
  const updates = await appendEventsBatch(c, appends, at);
  // As the appends left them: a first start has just set the deadline.
  const execs = new Map(appends.map((a) => [a.exec.id, a.exec]));
  for (const r of runs) Object.assign(r.context.execution, { deadlineAt: execs.get(r.executionId)!.deadlineAt, pauseRequested: execs.get(r.executionId)!.pauseRequested });
  return { runs, updates };
}

/** Claim order: best effective priority, then longest ready, then plan position. */
const claimOrder = (a: Locked, b: Locked): number =>
  a.eff - b.eff || (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0) || a.position - b.position;

/**
 * Running counts and limits for the locked limited candidates; plan rows are locked so plans start
 * executions one claim at a time. A started execution that is PAUSED keeps its plan slot: resuming it
 * makes it RUNNING without a claim, so letting another execution take the slot meanwhile would exceed
 * the limit. Free candidates are under no limit: absent from the maps, they pass.
 */
async function limitState(c: SqlClient, locked: readonly Locked[]): Promise<LimitState> {
  if (locked.length === 0) return { runningByExecution: new Map(), maxParallelism: new Map(), runningExecutionsByPlan: new Map(), maxConcurrentExecutions: new Map() };
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

interface ClaimedContext {
  ctxPlanId: string;
  ctxPriority: Priority;
  ctxParams: unknown;
  ctxState: unknown;
  ctxDependencies: Record<string, unknown>;
}

/**
 * What the handler's context exposes, returned by the claim's UPDATE (which joins the execution as `e`):
 * the execution, the outputs of the run's dependencies (a fallback run gets those of the task it stands
 * in for; a dependency replaced by a fallback gives the fallback's output; a skipped one gives null), and
 * the run's saved state.
 */
const CONTEXT_COLUMNS = `e."planId" AS "ctxPlanId", e.priority AS "ctxPriority", e.params AS "ctxParams", t.state AS "ctxState",
  (SELECT coalesce(jsonb_object_agg(d.key, coalesce(f.output, d.output, 'null'::jsonb)), '{}'::jsonb)
     FROM "TaskRun" d LEFT JOIN "TaskRun" f ON f."executionId" = d."executionId" AND f.key = d."replacedBy"
    WHERE d."executionId" = t."executionId"
      AND d.key = ANY(CASE WHEN t.fallback
                           THEN coalesce((SELECT r."dependsOn" FROM "TaskRun" r WHERE r."executionId" = t."executionId" AND r."replacedBy" = t.key LIMIT 1), '{}')
                           ELSE t."dependsOn" END)) AS "ctxDependencies"`;
