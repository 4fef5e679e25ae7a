import { computeMetrics, computeProgress, type ExecutionStats } from "../../domain/progress.ts";
import { InvalidIdError, InvalidTransitionError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { scheduleExecution } from "../../services/executions.ts";
import { cancelExecution, pauseExecution, resumeExecution, retryExecution } from "../../services/control.ts";
import type { ExecutionStatus } from "../../domain/status.ts";
import { builder, pageSize } from "../builder.ts";
import { globalId, parseId } from "../ids.ts";
import { ExecutionStatusEnum, MessageLevelEnum, PriorityEnum } from "./enums.ts";
import { ExecutionFilter } from "./ExecutionFilter.ts";
import { FailureDetailsType, type StoredFailure } from "./FailureDetails.ts";
import { MetricsType } from "./Metrics.ts";
import { MetricPointType } from "./MetricPoint.ts";
import { SERIES_LIMITS } from "../../domain/metrics/streams.ts";
import { ProgressType } from "./Progress.ts";
import { ScheduleExecutionInput } from "./ScheduleExecutionInput.ts";
import { TaskRunType } from "./TaskRun.ts";
import "./ExecutionEvent.ts";
import "./ExecutionMessage.ts";

export const ExecutionType = builder.prismaNode("Execution", {
  id: { field: "id" },
  description: "One run of a plan: its task runs, timeline, messages, progress and metrics.",
  fields: (t) => ({
    plan: t.relation("plan", { description: "The plan it runs." }),
    status: t.expose("status", { type: ExecutionStatusEnum, description: "Where it is in its life." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "Priority of its task runs, unless a task sets its own." }),
    params: t.expose("params", { type: "JSON", nullable: true, description: "What every handler receives as ctx.params ({} when none were given)." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was scheduled." }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true, description: "When its first task started; null before (retryExecution clears it)." }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true, description: "When it ended (COMPLETED, FAILED or CANCELLED); null until then." }),
    result: t.expose("result", { type: "JSON", nullable: true, description: "Once COMPLETED: the outputs of the tasks nothing depends on, by key; null before." }),
    error: t.field({ type: FailureDetailsType, nullable: true, description: "Why it FAILED or was CANCELLED; null otherwise.", resolve: (e) => (e.error as StoredFailure | null) ?? null }),
    runAt: t.expose("runAt", { type: "DateTime", nullable: true, description: "It stayed (or stays) SCHEDULED until this time; null: due at once." }),
    dependsOn: t.idList({ description: "Global IDs of the executions that must COMPLETE before it starts; if one fails or is cancelled, this one fails.", resolve: (e) => e.dependsOn.map((id) => globalId("Execution", id)) }),
    idempotencyKey: t.exposeString("idempotencyKey", { nullable: true, description: "The key it was scheduled with (unique per plan); null when none." }),
    maxParallelism: t.exposeInt("maxParallelism", { nullable: true, description: "Its task runs running at once at most (its own, or the plan's default); null: no limit." }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true, description: "It fails (EXECUTION_TIMEOUT) after running this many ms since its first task started, paused time excluded; null: no limit." }),
    deadlineAt: t.expose("deadlineAt", { type: "DateTime", nullable: true, description: "When it times out (its first task start + timeoutMs, shifted by pauses); null without a timeout, before it starts, and while paused." }),
    pausing: t.exposeBoolean("pauseRequested", { description: "A pause was requested and waits for running tasks to end (no new task starts meanwhile)." }),
    lastSeq: t.exposeInt("lastSeq", { description: "The seq of its newest event; pass it as monitor(afterSeq:) to resume from there." }),
    progress: t.field({
      type: ProgressType,
      description: "How far it is now.",
      resolve: (e, _args, ctx) => computeProgress(e.stats as unknown as ExecutionStats, e.status, ctx.clock()),
    }),
    metrics: t.field({
      type: MetricsType,
      description: "Its metrics now.",
      resolve: (e, _args, ctx) => computeMetrics(e.stats as unknown as ExecutionStats, ctx.clock()),
    }),
    metricSeries: t.field({
      type: [MetricPointType],
      description: `Its samples of one metric (the built-in per-run streams and its handlers' ctx.metric values; reportMetrics samples belong to no execution), oldest first: the newest \`limit\` since \`since\`. Samples are kept for METRIC_RETENTION_MS (default one day).`,
      args: {
        metric: t.arg.string({ required: true, description: "The metric name, e.g. task_duration_ms, progress or one its handlers reported with ctx.metric." }),
        since: t.arg({ type: "DateTime", description: "Only samples at or after this time; unset: any age." }),
        limit: t.arg.int({ defaultValue: SERIES_LIMITS.default, description: `How many samples at most (the newest), 1 to ${SERIES_LIMITS.max}.` }),
      },
      resolve: async (e, { metric, since, limit }, ctx) => {
        const take = limit ?? SERIES_LIMITS.default;
        if (take < 1 || take > SERIES_LIMITS.max) throw new ValidationError("limit", `must be between 1 and ${SERIES_LIMITS.max}`);
        const rows = await ctx.db.prisma.metricSample.findMany({
          where: { executionId: e.id, metric, ...(since ? { timestamp: { gte: since } } : {}) },
          orderBy: [{ timestamp: "desc" }, { id: "desc" }],
          take,
          select: { timestamp: true, value: true, labels: true },
        });
        return rows.reverse();
      },
    }),
    currentTask: t.field({
      type: TaskRunType,
      nullable: true,
      description: "The most recently started task that is still running; null when none runs.",
      select: (_args, _ctx, nestedSelection) => ({
        tasks: nestedSelection({ where: { status: "RUNNING" }, orderBy: { startedAt: "desc" }, take: 1 }),
      }),
      resolve: (e) => e.tasks[0] ?? null,
    }),
    tasks: t.relation("tasks", { description: "Its task runs, in plan order.", query: { orderBy: { position: "asc" } } }),
    timeline: t.relatedConnection("events", {
      cursor: "executionId_seq",
      ...pageSize,
      description: "Its events in seq order: the history monitor replays.",
      totalCount: true,
      query: { orderBy: { seq: "asc" } },
    }),
    checkpoints: t.relatedConnection("checkpoints", {
      cursor: "id",
      ...pageSize,
      description: "Its checkpoints, newest first.",
      query: { orderBy: [{ seq: "desc" }] },
    }),
    messages: t.relatedConnection("messages", {
      cursor: "id",
      ...pageSize,
      totalCount: true,
      description: "Its log lines (handlers' ctx.log and the engine's), in seq order.",
      args: {
        level: t.arg({ type: [MessageLevelEnum], description: "Only messages of any of these levels; unset or empty: all." }),
        taskKey: t.arg.string({ description: "Only the messages of this task; unset: all." }),
      },
      query: ({ level, taskKey }) => ({
        where: { ...(level?.length ? { level: { in: level } } : {}), ...(taskKey ? { taskKey } : {}) },
        orderBy: [{ seq: "asc" }, { timestamp: "asc" }, { id: "asc" }],
      }),
    }),
  }),
});

/** The executions `filter` selects (a page of them, or their count). */
const executionsWhere = (filter: { status?: readonly string[] | null; planId?: string | null } | null | undefined) => ({
  ...(filter?.status?.length ? { status: { in: filter.status as ExecutionStatus[] } } : {}),
  ...(filter?.planId ? { planId: parseId("filter.planId", filter.planId, "Plan") } : {}),
});

builder.queryFields((t) => ({
  executions: t.prismaConnection({
    type: "Execution",
    cursor: "id",
    ...pageSize,
    description: "Executions, newest first.",
    args: { filter: t.arg({ type: ExecutionFilter, description: "Only the executions matching every field given; unset: all." }) },
    // One count per request, served by the (status, createdAt) and (planId, createdAt) indexes when filtered.
    totalCount: (_connection, { filter }, ctx) => ctx.db.prisma.execution.count({ where: executionsWhere(filter) }),
    resolve: (query, _root, { filter }, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: executionsWhere(filter), orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  execution: t.prismaField({
    type: "Execution",
    nullable: true,
    description: "An execution by ID; null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The execution's global ID (or bare UUID)." }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.execution.findUnique({ ...query, where: { id: parseId("id", args.id, "Execution") } }),
  }),
}));

builder.mutationFields((t) => ({
  scheduleExecution: t.field({
    type: ExecutionType,
    description: "Creates an execution of a plan: PENDING at once, or SCHEDULED until its runAt and dependsOn executions. With an idempotencyKey used before for the plan, returns that execution instead. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: ScheduleExecutionInput, required: true, description: "The plan and the execution's options." }) },
    resolve: async (_root, { input }, ctx) => {
      const id = await scheduleExecution(ctx, {
        ...input,
        planId: parseId("input.planId", input.planId, "Plan"),
        dependsOn: input.dependsOn?.map((d, i) => parseId(`input.dependsOn[${i}]`, d, "Execution")),
      });
      return ctx.db.prisma.execution.findUniqueOrThrow({ where: { id } });
    },
  }),
  ...Object.fromEntries(
    (
      [
        ["pauseExecution", "Pauses a PENDING or RUNNING execution: no new task starts; PAUSED once no task runs (running ones may finish; handlers see ctx.paused). Timers freeze. Needs role OPERATOR.", pauseExecution],
        ["resumeExecution", "A PAUSED (or pausing) execution runs again; frozen timers resume with their remaining time. Needs role OPERATOR.", resumeExecution],
        ["retryExecution", "Re-runs the failed, timed-out and cancelled tasks of a FAILED or CANCELLED execution and their dependants, keeping completed outputs; the same execution goes on, PENDING, with a fresh retry budget. Needs role OPERATOR.", retryExecution],
      ] as const
    ).map(([name, description, action]) => [
      name,
      t.field({
        type: ExecutionType,
        description,
        errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError] },
        args: { id: t.arg.id({ required: true, description: "The execution's global ID (or bare UUID)." }) },
        resolve: async (_root, args, ctx) => {
          const id = parseId("id", args.id, "Execution");
          await action(ctx, id);
          return ctx.db.prisma.execution.findUniqueOrThrow({ where: { id } });
        },
      }),
    ]),
  ),
  cancelExecution: t.field({
    type: ExecutionType,
    description: "Cancels a SCHEDULED, PENDING, RUNNING or PAUSED execution: running handlers are aborted (ctx.signal) and every remaining task is cancelled. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError, ValidationError] },
    args: { id: t.arg.id({ required: true, description: "The execution's global ID (or bare UUID)." }), reason: t.arg.string({ description: "Recorded in the error and the event, at most 500 characters (default: cancelled by a user)." }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "Execution");
      const reason = args.reason?.trim() || "cancelled by a user";
      if (reason.length > 500) throw new ValidationError("reason", "must be at most 500 characters");
      await cancelExecution(ctx, id, reason);
      return ctx.db.prisma.execution.findUniqueOrThrow({ where: { id } });
    },
  }),
}));
