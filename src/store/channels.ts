// The NOTIFY channels between the store (pg_notify, in the transaction of the change) and the workers (db.listen).

/** Wakes idle workers when task runs become ready (or executions become due). */
export const TASK_READY_CHANNEL = "task_ready";
/** Tells workers that an execution was cancelled, ended or paused: they re-check their runs of it. */
export const CONTROL_CHANNEL = "execution_control";
