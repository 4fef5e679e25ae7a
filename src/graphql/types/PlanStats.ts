import { DEFAULT_STATS_WINDOW_MS, MAX_STATS_WINDOW_MS, MIN_STATS_WINDOW_MS } from "../../domain/stats.ts";
import type { TaskStats } from "../../domain/stats.ts";
import { planHealth, planStats, type PlanStats } from "../../services/stats.ts";
import { builder } from "../builder.ts";
import { PlanType } from "./Plan.ts";

const windowDescription = `Look-back window in ms (default ${DEFAULT_STATS_WINDOW_MS}, clamped to ${MIN_STATS_WINDOW_MS}..${MAX_STATS_WINDOW_MS}).`;

export const TaskStatsType = builder.objectRef<TaskStats>("TaskStats").implement({
  description: "Outcomes of one task key of a plan: its runs that finished (COMPLETED, FAILED, TIMED_OUT) within the window.",
  fields: (t) => ({
    key: t.exposeString("key", { description: "The task key." }),
    runs: t.exposeInt("runs", { description: "Its runs that finished within the window." }),
    successes: t.exposeInt("successes", { description: "COMPLETED runs." }),
    failures: t.exposeInt("failures", { description: "FAILED and TIMED_OUT runs." }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "The share of runs that completed (successes / runs); null without runs." }),
    avgDurationMs: t.exposeFloat("avgDurationMs", { nullable: true, description: "Mean finishedAt − startedAt of their last attempts, in ms." }),
  }),
});

export const PlanStatsType = builder.objectRef<PlanStats>("PlanStats").implement({
  description: "Outcomes of a plan's executions that finished within the window.",
  fields: (t) => ({
    windowMs: t.exposeInt("windowMs", { description: "The window applied, in ms (after clamping)." }),
    executions: t.exposeInt("executions", { description: "Executions finished within the window (COMPLETED, FAILED or CANCELLED)." }),
    successes: t.exposeInt("successes", { description: "COMPLETED executions." }),
    failures: t.exposeInt("failures", { description: "FAILED executions." }),
    cancelled: t.exposeInt("cancelled", { description: "CANCELLED executions (neither successes nor failures)." }),
    successRate: t.exposeFloat("successRate", { nullable: true, description: "The share that succeeded, successes / (successes + failures); null when neither." }),
    avgDurationMs: t.exposeFloat("avgDurationMs", { nullable: true, description: "Mean completedAt − startedAt of the finished executions, in ms." }),
    tasks: t.field({ type: [TaskStatsType], description: "Per task key, sorted by key.", resolve: (s) => s.tasks }),
  }),
});

// Batched per request (services/stats.ts): `plans { stats health }` costs two grouped statements per window, not per plan.
builder.objectFields(PlanType, (t) => ({
  stats: t.field({
    type: PlanStatsType,
    description: "Outcomes of its executions that finished within the window.",
    args: { windowMs: t.arg.int({ description: windowDescription }) },
    resolve: (plan, args, ctx) => planStats(ctx, plan.id, args.windowMs),
  }),
  health: t.float({
    nullable: true,
    description: "The share of its executions finished within the window that succeeded, successes / (successes + failures); null when none did either.",
    args: { windowMs: t.arg.int({ description: windowDescription }) },
    resolve: (plan, args, ctx) => planHealth(ctx, plan.id, args.windowMs),
  }),
}));
