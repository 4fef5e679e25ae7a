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
  description: "One run of a plan",
  fields: (t) => ({
    plan: t.relation("plan"),
    status: t.expose("status", { type: ExecutionStatusEnum }),
    priority: t.expose("priority", { type: PriorityEnum }),
    params: t.expose("params", { type: "JSON", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    completedAt: t.expose("completedAt", { type: "DateTime", nullable: true }),
    result: t.expose("result", { type: "JSON", nullable: true, description: "Outputs of the tasks nothing depends on, by key" }),
    error: t.field({ type: FailureDetailsType, nullable: true, resolve: (e) => (e.error as StoredFailure | null) ?? null }),
    runAt: t.expose("runAt", { type: "DateTime", nullable: true }),
    dependsOn: t.idList({ description: "Executions that must complete first", resolve: (e) => e.dependsOn.map((id) => globalId("Execution", id)) }),
    idempotencyKey: t.exposeString("idempotencyKey", { nullable: true }),
    maxParallelism: t.exposeInt("maxParallelism", { nullable: true }),
    timeoutMs: t.exposeInt("timeoutMs", { nullable: true }),
    deadlineAt: t.expose("deadlineAt", { type: "DateTime", nullable: true, description: "When it times out; null while paused" }),
    pausing: t.exposeBoolean("pauseRequested", { description: "A pause was requested and waits for running tasks to end" }),
    lastSeq: t.exposeInt("lastSeq", { description: "seq of the newest event; pass it as monitor(afterSeq:) to resume" }),
    progress: t.field({
      type: ProgressType,
      resolve: (e, _args, ctx) => computeProgress(e.stats as unknown as ExecutionStats, e.status, ctx.clock()),
    }),
    metrics: t.field({
      type: MetricsType,
      resolve: (e, _args, ctx) => computeMetrics(e.stats as unknown as ExecutionStats, ctx.clock()),
    }),
    metricSeries: t.field({
      type: [MetricPointType],
      description: `Its samples of one metric (built-in streams, ctx.metric values, reportMetrics), oldest first: the newest \`limit\` (at most ${SERIES_LIMITS.max}) since \`since\`. Kept for METRIC_RETENTION_MS`,
      args: {
        metric: t.arg.string({ required: true }),
        since: t.arg({ type: "DateTime" }),
        limit: t.arg.int({ defaultValue: SERIES_LIMITS.default }),
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
      description: "The most recently started task that is still running",
      select: (_args, _ctx, nestedSelection) => ({
        tasks: nestedSelection({ where: { status: "RUNNING" }, orderBy: { startedAt: "desc" }, take: 1 }),
      }),
      resolve: (e) => e.tasks[0] ?? null,
    }),
    tasks: t.relation("tasks", { query: { orderBy: { position: "asc" } } }),
    timeline: t.relatedConnection("events", {
      cursor: "executionId_seq",
      ...pageSize,
      description: "Events in seq order",
      totalCount: true,
      query: { orderBy: { seq: "asc" } },
    }),
    checkpoints: t.relatedConnection("checkpoints", {
      cursor: "id",
      ...pageSize,
      description: "Its checkpoints, newest first",
      query: { orderBy: [{ seq: "desc" }] },
    }),
    messages: t.relatedConnection("messages", {
      cursor: "id",
      ...pageSize,
      totalCount: true,
      args: { level: t.arg({ type: [MessageLevelEnum], description: "Any of these levels" }), taskKey: t.arg.string() },
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
    description: "Executions, newest first",
    args: { filter: t.arg({ type: ExecutionFilter }) },
    // One count per request, served by the (status, createdAt) and (planId, createdAt) indexes when filtered.
    totalCount: (_connection, { filter }, ctx) => ctx.db.prisma.execution.count({ where: executionsWhere(filter) }),
    resolve: (query, _root, { filter }, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: executionsWhere(filter), orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  execution: t.prismaField({
    type: "Execution",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.execution.findUnique({ ...query, where: { id: parseId("id", args.id, "Execution") } }),
  }),
}));

builder.mutationFields((t) => ({
  scheduleExecution: t.field({
    type: ExecutionType,
    description: "Starts an execution of a plan now",
    errors: { types: [InvalidIdError, NotFoundError, ValidationError] },
    args: { input: t.arg({ type: ScheduleExecutionInput, required: true }) },
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
        ["pauseExecution", "No new task starts; PAUSED once no task runs (running ones may finish; handlers see ctx.paused). Timers freeze.", pauseExecution],
        ["resumeExecution", "A PAUSED (or pausing) execution runs again; frozen timers resume with their remaining time", resumeExecution],
        ["retryExecution", "Re-runs the failed, timed-out and cancelled tasks of a FAILED or CANCELLED execution and their dependants, keeping completed outputs", retryExecution],
      ] as const
    ).map(([name, description, action]) => [
      name,
      t.field({
        type: ExecutionType,
        description,
        errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError] },
        args: { id: t.arg.id({ required: true }) },
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
    description: "Aborts running handlers (ctx.signal) and cancels every remaining task",
    errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError, ValidationError] },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ description: "Recorded in the error and the event (default: cancelled by a user)" }) },
    resolve: async (_root, args, ctx) => {
      const id = parseId("id", args.id, "Execution");
      const reason = args.reason?.trim() || "cancelled by a user";
      if (reason.length > 500) throw new ValidationError("reason", "must be at most 500 characters");
      await cancelExecution(ctx, id, reason);
      return ctx.db.prisma.execution.findUniqueOrThrow({ where: { id } });
    },
  }),
}));
