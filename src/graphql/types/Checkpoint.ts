import type { CheckpointReason } from "../../domain/checkpoint.ts";
import { InvalidIdError, InvalidTransitionError, NotFoundError } from "../../domain/errors.ts";
import { createCheckpoint, restoreFromCheckpoint } from "../../services/checkpoints.ts";
import { builder } from "../builder.ts";
import { parseId } from "../ids.ts";
import { CheckpointReasonEnum } from "./enums.ts";
import { ExecutionType } from "./Execution.ts";

export const CheckpointType = builder.prismaNode("Checkpoint", {
  id: { field: "id" },
  description: "A saved state of an execution that restoreFromCheckpoint rewinds it to.",
  fields: (t) => ({
    execution: t.relation("execution", { description: "The execution it saved." }),
    seq: t.exposeInt("seq", { description: "The seq of its CHECKPOINT_CREATED event: the execution's state as of that point of its timeline." }),
    reason: t.field({ type: CheckpointReasonEnum, description: "What took it.", resolve: (c) => c.reason as CheckpointReason }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was taken." }),
    completedTasks: t.exposeStringList("completedTasks", {
      description: "Keys of the tasks that were done (completed, skipped, or replaced by a completed fallback): a restore keeps them.",
    }),
    taskStates: t.expose("taskStates", {
      type: "JSON",
      description: "Every task by key: { status output state attempt error replacedBy startedAt finishedAt }; state is the run's last ctx.checkpoint(state).",
    }),
    variables: t.expose("variables", { type: "JSON", nullable: true, description: "The execution's params." }),
    resourceAllocations: t.expose("resourceAllocations", { type: "JSON", description: "Allocations its tasks held then: [{ id resourceId taskKey amount }]. A restore does not re-take them: rerun tasks allocate again." }),
  }),
});

builder.mutationFields((t) => ({
  createCheckpoint: t.field({
    type: CheckpointType,
    description: "Saves the execution's state now (reason MANUAL) and appends CHECKPOINT_CREATED; any status but SCHEDULED. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError] },
    args: { executionId: t.arg.id({ required: true, description: "The execution's global ID (or bare UUID)." }) },
    resolve: async (_root, args, ctx) => {
      const id = await createCheckpoint(ctx, parseId("executionId", args.executionId, "Execution"));
      return ctx.db.prisma.checkpoint.findUniqueOrThrow({ where: { id } });
    },
  }),
  restoreFromCheckpoint: t.field({
    type: ExecutionType,
    description:
      "Rewinds the execution to the checkpoint: its done tasks keep their outputs and do not run again; every other task runs again " +
      "(with its saved state and a fresh retry budget; running handlers are revoked). The execution becomes PENDING (a pause is lifted) " +
      "and its history goes on with RECOVERY_INITIATED. Needs role OPERATOR.",
    errors: { types: [InvalidIdError, NotFoundError, InvalidTransitionError] },
    args: { checkpointId: t.arg.id({ required: true, description: "The checkpoint's global ID (or bare UUID)." }) },
    resolve: async (_root, args, ctx) => {
      const executionId = await restoreFromCheckpoint(ctx, parseId("checkpointId", args.checkpointId, "Checkpoint"));
      return ctx.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } });
    },
  }),
}));
