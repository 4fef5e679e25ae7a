import { builder } from "../builder.ts";
import { MisfirePolicyEnum, OverlapPolicyEnum, PriorityEnum } from "./enums.ts";

/** The fields createSchedule and updateSchedule share (updateSchedule: omitted = unchanged, null = cleared). */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export const scheduleFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">) => ({
  cron: t.string({ description: "Cron expression: 5 fields (minute hour day month weekday) or 6 (seconds first), at most 200 characters; exactly one of cron, intervalMs, runAt." }),
  timezone: t.string({ description: "IANA time zone the cron is read in, e.g. Europe/Paris (default UTC)." }),
  intervalMs: t.int({ description: "Every this many ms (at least 1000)." }),
  runAt: t.field({ type: "DateTime", description: "Once, at this time." }),
  name: t.string({ description: "Display name, at most 200 characters." }),
  params: t.field({ type: "JSON", description: "The params of each execution (ctx.params), at most 65536 bytes of JSON." }),
  priority: t.field({ type: PriorityEnum, description: "Priority of its executions; default NORMAL." }),
  misfirePolicy: t.field({ type: MisfirePolicyEnum, description: "What to do with due times missed while the engine was down; default RUN_ONCE." }),
  overlapPolicy: t.field({ type: OverlapPolicyEnum, description: "What to do when a due time comes while the previous execution runs; default ALLOW." }),
  maxConsecutiveFailures: t.int({ description: "Disabled after this many failed executions in a row, 1 to 1000 (default 5)." }),
  maxExecutionsPerDay: t.int({ description: "At most this many executions in any 24 hours (rolling), 1 to 100000; no cap by default." }),
});

export const CreateScheduleInput = builder.inputType("CreateScheduleInput", {
  description: "A schedule to create: the plan, exactly one of cron, intervalMs and runAt, and the options.",
  fields: (t) => ({ planId: t.id({ required: true, description: "The plan it starts executions of (global ID or bare UUID)." }), ...scheduleFields(t) }),
});
