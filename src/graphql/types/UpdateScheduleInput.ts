import { builder } from "../builder.ts";
import { scheduleFields } from "./CreateScheduleInput.ts";

export const UpdateScheduleInput = builder.inputType("UpdateScheduleInput", {
  description: "Omitted fields stay; a new cron, timezone, intervalMs or runAt plans the next run from now",
  fields: (t) => scheduleFields(t),
});
