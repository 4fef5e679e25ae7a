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
  description: "Starts executions of a plan by cron (in a time zone), every intervalMs, or once at runAt; each due time fires at most once",
  fields: (t) => ({
    plan: t.relation("plan"),
    name: t.exposeString("name", { nullable: true }),
    cron: t.exposeString("cron", { nullable: true }),
    timezone: t.exposeString("timezone"),
    intervalMs: t.exposeInt("intervalMs", { nullable: true }),
    runAt: t.expose("runAt", { type: "DateTime", nullable: true }),
    params: t.expose("params", { type: "JSON", nullable: true }),
    priority: t.expose("priority", { type: PriorityEnum }),
    misfirePolicy: t.expose("misfirePolicy", { type: MisfirePolicyEnum }),
    overlapPolicy: t.expose("overlapPolicy", { type: OverlapPolicyEnum }),
    maxConsecutiveFailures: t.exposeInt("maxConsecutiveFailures"),
    maxExecutionsPerDay: t.exposeInt("maxExecutionsPerDay", { nullable: true }),
    enabled: t.exposeBoolean("enabled"),
    disabledReason: t.exposeString("disabledReason", { nullable: true, description: "Why it was disabled automatically (e.g. too many failures)" }),
    nextRunAt: t.expose("nextRunAt", { type: "DateTime", nullable: true, description: "Null when nothing is due any more (one-shot done, or disabled)" }),
    lastRunAt: t.expose("lastRunAt", { type: "DateTime", nullable: true }),
    consecutiveFailures: t.exposeInt("consecutiveFailures", { description: "Failed executions in a row, as of the last due time" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    nextRuns: t.field({
      type: ["DateTime"],
      description: `The next due times from nextRunAt on (count at most ${SCHEDULE_SPEC_LIMITS.maxPreview})`,
      args: { count: t.arg.int({ defaultValue: 5 }) },
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
      description: "Executions it started, newest first",
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
    description: "Schedules, newest first",
    resolve: (query, _root, _args, ctx) => ctx.db.prisma.schedule.findMany({ ...query, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
  }),
  schedule: t.prismaField({
    type: "Schedule",
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.db.prisma.schedule.findUnique({ ...query, where: { id: parseId("id", args.id, "Schedule") } }),
  }),
}));

const errors = { types: [InvalidIdError, NotFoundError, ValidationError] };

builder.mutationFields((t) => ({
  createSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Validates the cron (or interval or runAt) and time zone and plans the first run",
    errors,
    args: { input: t.arg({ type: CreateScheduleInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSchedule(ctx, { ...input, planId: parseId("input.planId", input.planId, "Plan") }),
  }),
  updateSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    errors,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateScheduleInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => updateSchedule(ctx, parseId("id", id, "Schedule"), input),
  }),
  setScheduleEnabled: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Enabling clears disabledReason and the failure streak; the next run is planned from now",
    errors,
    args: { id: t.arg.id({ required: true }), enabled: t.arg.boolean({ required: true }) },
    resolve: (_root, { id, enabled }, ctx) => setScheduleEnabled(ctx, parseId("id", id, "Schedule"), enabled),
  }),
  deleteSchedule: t.field({
    type: ScheduleType,
    authScopes: { admin: true },
    description: "Deletes the schedule (returned as it was); the executions it started stay",
    errors,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => deleteSchedule(ctx, parseId("id", id, "Schedule")),
  }),
  triggerSchedule: t.field({
    type: ExecutionType,
    authScopes: { admin: true },
    description: "Runs the schedule now (enabled or not; overlap policy and daily cap do not apply)",
    errors,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ctx.db.prisma.execution.findUniqueOrThrow({ where: { id: await triggerSchedule(ctx, parseId("id", id, "Schedule")) } }),
  }),
}));
