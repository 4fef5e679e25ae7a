import { builder } from "../builder.ts";
import { MisfirePolicyEnum, OverlapPolicyEnum, PriorityEnum } from "./enums.ts";

/** The fields createSchedule and updateSchedule share (updateSchedule: omitted = unchanged, null = cleared). */
type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

export const scheduleFields = (t: PothosSchemaTypes.InputFieldBuilder<Types, "InputObject">) => ({
  cron: t.string({ description: "5 fields (minute hour day month weekday) or 6 (seconds first); exactly one of cron, intervalMs, runAt" }),
  timezone: t.string({ description: "IANA time zone the cron is read in (default UTC)" }),
  intervalMs: t.int({ description: "Every this many ms (at least 1000)" }),
  runAt: t.field({ type: "DateTime", description: "Once, at this time" }),
  name: t.string(),
  params: t.field({ type: "JSON", description: "The params of each execution" }),
  priority: t.field({ type: PriorityEnum, description: "Default NORMAL" }),
  misfirePolicy: t.field({ type: MisfirePolicyEnum, description: "Default RUN_ONCE" }),
  overlapPolicy: t.field({ type: OverlapPolicyEnum, description: "Default ALLOW" }),
  maxConsecutiveFailures: t.int({ description: "Disabled after this many failed executions in a row (default 5)" }),
  maxExecutionsPerDay: t.int({ description: "At most this many executions in any 24 hours (rolling); no cap by default" }),
});

export const CreateScheduleInput = builder.inputType("CreateScheduleInput", {
  fields: (t) => ({ planId: t.id({ required: true }), ...scheduleFields(t) }),
});
