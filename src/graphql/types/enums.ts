import { EXECUTION_STATUSES, PRIORITIES, TASK_STATUSES } from "../../domain/status.ts";
import { ExecutionEventType } from "../../../generated/prisma/enums.ts";
import { builder } from "../builder.ts";

// Enums are tiny and always used together, so they share this file (the one exception to one-type-per-file).
export const PriorityEnum = builder.enumType("Priority", {
  description: "Claim order: CRITICAL runs first, IDLE last",
  values: PRIORITIES,
});
export const ExecutionStatusEnum = builder.enumType("ExecutionStatus", { values: EXECUTION_STATUSES });
export const TaskStatusEnum = builder.enumType("TaskStatus", { values: TASK_STATUSES });
export const ExecutionEventTypeEnum = builder.enumType("ExecutionEventType", { values: Object.values(ExecutionEventType) });
export const MessageLevelEnum = builder.enumType("MessageLevel", { values: ["DEBUG", "INFO", "WARNING", "ERROR"] as const });
