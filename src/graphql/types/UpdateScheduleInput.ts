import { builder } from "../builder.ts";
import { scheduleFields } from "./CreateScheduleInput.ts";

export const UpdateScheduleInput = builder.inputType("UpdateScheduleInput", {
  description: "The fields of a schedule to change: omitted ones stay; null clears cron, intervalMs, runAt, name, params or maxExecutionsPerDay and leaves the others (defaults named below apply at creation). A new cron, timezone, intervalMs or runAt plans the next run from now.",
  fields: (t) => scheduleFields(t),
});
