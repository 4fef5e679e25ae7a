import { InvalidIdError, NotFoundError, ValidationError } from "../../domain/errors.ts";
import { nextRuns, SCHEDULE_SPEC_LIMITS } from "../../domain/schedule/spec.ts";
import { createSchedule, deleteSchedule, setScheduleEnabled, triggerSchedule, updateSchedule } from "../../services/schedules.ts";
import { builder, pageSize } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CreateScheduleInput } from "./CreateScheduleInput.ts";
import { MisfirePolicyEnum, OverlapPolicyEnum, PriorityEnum } from "./enums.ts";
import { ExecutionType } from "./Execution.ts";
import { UpdateScheduleInput } from "./UpdateScheduleInput.ts";

export const ScheduleType = builder.prismaNode("Schedule", {
  id: { field: "id" },
  description: "Starts executions of a plan by cron (in a time zone), every intervalMs, or once at runAt; each due time fires at most once, whatever the number of workers.",
  fields: (t) => ({
    plan: t.relation("plan", { description: "The plan it starts executions of." }),
    name: t.exposeString("name", { nullable: true, description: "Display name; null when none was given." }),
    cron: t.exposeString("cron", { nullable: true, description: "Cron expression, 5 fields (minute hour day month weekday) or 6 (seconds first), read in timezone; null for interval and one-shot schedules." }),
    timezone: t.exposeString("timezone", { description: "IANA time zone the cron is read in (default UTC)." }),
    intervalMs: t.exposeInt("intervalMs", { nullable: true, description: "Fires every this many ms; null for cron and one-shot schedules." }),
    runAt: t.expose("runAt", { type: "DateTime", nullable: true, description: "One-shot: fires once, at this time; null for cron and interval schedules." }),
    params: t.expose("params", { type: "JSON", nullable: true, description: "The params of each execution it starts." }),
    priority: t.expose("priority", { type: PriorityEnum, description: "Priority of the executions it starts." }),
    misfirePolicy: t.expose("misfirePolicy", { type: MisfirePolicyEnum, description: "What it does with due times missed while the engine was down." }),
    overlapPolicy: t.expose("overlapPolicy", { type: OverlapPolicyEnum, description: "What it does when a due time comes while its previous execution has not ended." }),
    maxConsecutiveFailures: t.exposeInt("maxConsecutiveFailures", { description: "It disables itself after this many of its executions failed in a row." }),
    maxExecutionsPerDay: t.exposeInt("maxExecutionsPerDay", { nullable: true, description: "At most this many executions started in any 24 hours (rolling); null: no cap." }),
    enabled: t.exposeBoolean("enabled", { description: "Whether its due times fire: false after setScheduleEnabled(enabled: false) or the failure safety." }),
    disabledReason: t.exposeString("disabledReason", { nullable: true, description: "Why it was disabled automatically (too many failures in a row); null otherwise." }),
    nextRunAt: t.expose("nextRunAt", { type: "DateTime", nullable: true, description: "Its next due time; null when nothing is due any more (one-shot done, or disabled)." }),
    lastRunAt: t.expose("lastRunAt", { type: "DateTime", nullable: true, description: "When a due time last started an execution (triggerSchedule does not count); null before the first." }),
    consecutiveFailures: t.exposeInt("consecutiveFailures", { description: "Its executions that failed in a row (since the last completed one, or since it was last edited or enabled), as of the last due time." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    nextRuns: t.field({
      type: ["DateTime"],
      description: "Its next due times, from nextRunAt on; empty when nothing is due.",
      args: { count: t.arg.int({ defaultValue: 5, description: `How many, 0 to ${SCHEDULE_SPEC_LIMITS.maxPreview} (a larger count returns ${SCHEDULE_SPEC_LIMITS.maxPreview}).` }) },
      resolve: (s, { count }) => {
        const n = Math.max(0, Math.min(count ?? 5, SCHEDULE_SPEC_LIMITS.maxPreview));
        if (!s.nextRunAt || n === 0) return [];
        return [s.nextRunAt, ...nextRuns(s, s.nextRunAt, n - 1)];
      },
    }),
    history: t.prismaConnection({
      type: "Execution",
      cursor: "id",
      ...pageSize,
      description: "Executions it started, newest first.",
      resolve: (query, s, _args, ctx) =>
        ctx.db.prisma.execution.findMany({ ...query, where: { scheduleId: s.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  schedules: t.prismaConnection({
    type: "Schedule",
    cursor: "id",
    ...pageSize,
    description: "Schedules, newest first.",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.schedule.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  schedule: t.prismaField({
    type: "Schedule",
    nullable: true,
    description: "A schedule by ID; null when there is none.",
    args: { id: t.arg.id({ required: true, description: "The schedule's global ID (or bare UUID)." }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.schedule.findUnique({ ...query, where: { id: parseId("id", args.id, "Schedule") } }),
  }),
}));

const errors = { types: [InvalidIdError, NotFoundError, ValidationError] };

builder.mutationFields((t) => ({
  createSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Creates a schedule: validates the cron (or interval or runAt), the time zone and the params, and plans the first run. Needs role ADMIN.",
    errors,
    args: { input: t.arg({ type: CreateScheduleInput, required: true, description: "The plan, the timing (exactly one of cron, intervalMs, runAt) and the options." }) },
    resolve: (_root, { input }, ctx) => createSchedule(ctx, { ...input, planId: parseId("input.planId", input.planId, "Plan") }),
  }),
  updateSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Changes a schedule (see UpdateScheduleInput for omitted and null fields); a new cron, timezone, intervalMs or runAt plans the next run from now (if enabled). Needs role ADMIN.",
    errors,
    args: { id: t.arg.id({ required: true, description: "The schedule's global ID (or bare UUID)." }), input: t.arg({ type: UpdateScheduleInput, required: true, description: "The fields to change." }) },
    resolve: (_root, { id, input }, ctx) => updateSchedule(ctx, parseId("id", id, "Schedule"), input),
  }),
  setScheduleEnabled: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Enabling clears disabledReason and the failure streak, and a disabled schedule plans its next run from now; disabling stops its due times (nextRunAt null). Needs role ADMIN.",
    errors,
    args: { id: t.arg.id({ required: true, description: "The schedule's global ID (or bare UUID)." }), enabled: t.arg.boolean({ required: true, description: "True to enable, false to disable." }) },
    resolve: (_root, { id, enabled }, ctx) => setScheduleEnabled(ctx, parseId("id", id, "Schedule"), enabled),
  }),
  deleteSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Deletes the schedule (returned as it was); the executions it started stay. Needs role ADMIN.",
    errors,
    args: { id: t.arg.id({ required: true, description: "The schedule's global ID (or bare UUID)." }) },
    resolve: (_root, { id }, ctx) => deleteSchedule(ctx, parseId("id", id, "Schedule")),
  }),
  triggerSchedule: t.field({
    type: ExecutionType,
    authScopes: { admin: true },
    description: "Runs the schedule now, with its params and priority (enabled or not; overlap policy and daily cap do not apply). Needs role ADMIN.",
    errors,
    args: { id: t.arg.id({ required: true, description: "The schedule's global ID (or bare UUID)." }) },
    resolve: async (_root, { id }, ctx) => ctx.db.prisma.execution.findUniqueOrThrow({ where: { id: await triggerSchedule(ctx, parseId("id", id, "Schedule")) } }),
  }),
}));
