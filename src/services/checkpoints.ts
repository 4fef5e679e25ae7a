import { InvalidTransitionError, NotFoundError } from "../domain/errors.ts";
import { CHECKPOINTABLE_EXECUTION_STATUSES } from "../domain/status.ts";
import type { Services } from "./context.ts";
import { checkpointExecutionId, restoreCheckpoint, takeCheckpoint } from "../store/checkpoints.ts";
import { lockExecution, publishUpdates } from "../store/outbox.ts";

// The checkpoint mutations: each locks the execution, saves or restores in one transaction
// (store/checkpoints.ts), and publishes the updates after commit.

/** createCheckpoint: a MANUAL checkpoint of any execution that has left SCHEDULED. Returns its id. */
export async function createCheckpoint(services: Services, executionId: string): Promise<string> {
  const { id, updates } = await services.db.sql.tx(async (c) => {
    const exec = await lockExecution(c, executionId);
    if (!exec) throw new NotFoundError("Execution", executionId);
    if (!CHECKPOINTABLE_EXECUTION_STATUSES.includes(exec.status))
      throw new InvalidTransitionError("execution", exec.status, "CHECKPOINTED", "it has not started, so there is nothing to save");
    return takeCheckpoint(c, exec, services.clock(), "MANUAL");
  });
  await publishUpdates(services.bus, updates, services.log);
  return id;
}

/** restoreFromCheckpoint: rewinds the checkpoint's execution to it. Returns the execution's id. */
export async function restoreFromCheckpoint(services: Services, checkpointId: string): Promise<string> {
  const executionId = await checkpointExecutionId(services.db.sql, checkpointId);
  if (!executionId) throw new NotFoundError("Checkpoint", checkpointId);
  const updates = await services.db.sql.tx(async (c) => {
    const exec = await lockExecution(c, executionId);
    if (!exec) throw new NotFoundError("Checkpoint", checkpointId); // deleted with its execution meanwhile
    return restoreCheckpoint(c, exec, checkpointId, services.clock(), { automatic: false });
  });
  await publishUpdates(services.bus, updates, services.log);
  return executionId;
}
