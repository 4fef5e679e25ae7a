import { DEFAULT_STATS_WINDOW_MS, MAX_STATS_WINDOW_MS, MIN_STATS_WINDOW_MS } from "../../domain/stats.ts";
import { engineStats, STATS_ALIVE_LEASES, type EngineStats } from "../../services/stats.ts";
import { builder } from "../builder.ts";
import { ExecutionStatusEnum } from "./enums.ts";

type StatusCount = { status: string; count: number };

export const StatusCountType = builder.objectRef<StatusCount>("StatusCount").implement({
  description: "How many executions have one status.",
  fields: (t) => ({
    status: t.field({ type: ExecutionStatusEnum, description: "The status.", resolve: (s) => s.status as typeof ExecutionStatusEnum.$inferType }),
    count: t.exposeInt("count", { description: "Executions with it." }),
  }),
});

export const EngineStatsType = builder.objectRef<EngineStats>("EngineStats").implement({
  description: "Engine-wide statistics, computed by a few aggregate statements at query time.",
  fields: (t) => ({
    windowMs: t.exposeInt("windowMs", { description: "The window applied, in ms (after clamping)." }),
    executionsByStatus: t.field({
      type: [StatusCountType],
      description: "Active executions (SCHEDULED, PENDING, RUNNING, PAUSED) of any age, and finished ones completed within the window, by status name.",
      resolve: (s) => s.executionsByStatus,
    }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "COMPLETED / (COMPLETED + FAILED) executions within the window; null when neither." }),
    throughputPerMinute: t.exposeFloat("throughputPerMinute", { description: "Executions finished (COMPLETED, FAILED, CANCELLED) per minute over the window." }),
    queueDepth: t.exposeInt("queueDepth", { description: "Task runs READY, plus RETRYING ones whose next attempt is due, now." }),
    runningTasks: t.exposeInt("runningTasks", { description: "Task runs RUNNING now." }),
    avgWaitMs: t.exposeFloat("avgWaitMs", { nullable: true, description: "Mean startedAt − readyAt of task runs claimed within the window, in ms; null when none." }),
    avgDurationMs: t.exposeFloat("avgDurationMs", { nullable: true, description: "Mean completedAt − startedAt of executions finished within the window, in ms; null when none." }),
    workers: t.exposeInt("workers", { description: `Workers alive now: not stopped, heartbeat within ${STATS_ALIVE_LEASES} × LEASE_MS.` }),
  }),
});

builder.queryFields((t) => ({
  engineStats: t.field({
    type: EngineStatsType,
    description: "Engine-wide statistics over a look-back window.",
    args: { windowMs: t.arg.int({ description: `Look-back window in ms (default ${DEFAULT_STATS_WINDOW_MS}, clamped to ${MIN_STATS_WINDOW_MS}..${MAX_STATS_WINDOW_MS}).` }) },
    resolve: (_root, args, ctx) => engineStats(ctx, { windowMs: args.windowMs, leaseMs: ctx.leaseMs }),
  }),
}));
