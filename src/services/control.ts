import { InvalidTransitionError, NotFoundError } from "../domain/errors.ts";
import type { Services } from "./context.ts";
import { countRunning, endExecution, freezeTimers, notifyControl, notifyReady, rerunTasks, thawTimers } from "../store/lifecycle.ts";
import { releaseEvents } from "../store/resources.ts";
import { appendEvents, lockExecution, publishUpdates, type LockedExecution } from "../store/outbox.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

// pause / resume / cancel / retry. Each runs in one transaction under the execution's row lock, so
// concurrent calls serialize: the second sees the first's result and gets InvalidTransitionError if
// its transition no longer applies.

type Change = (exec: LockedExecution, c: Parameters<Parameters<Services["db"]["sql"]["tx"]>[0]>[0], now: Date) => Promise<ExecutionUpdate[]>;

async function control(services: Services, executionId: string, change: Change): Promise<void> {
  const updates = await services.db.sql.tx(async (c) => {
    const exec = await lockExecution(c, executionId);
    if (!exec) throw new NotFoundError("Execution", executionId);
    return change(exec, c, services.clock());
  });
  await publishUpdates(services.bus, updates, services.log);
}

const invalid = (exec: LockedExecution, to: string, why?: string) =>
  new InvalidTransitionError("execution", exec.pauseRequested ? `${exec.status} (pausing)` : exec.status, to, why);

/** No new task starts; PAUSED at once when nothing runs, else once the running tasks end. */
export function pauseExecution(services: Services, executionId: string): Promise<void> {
  return control(services, executionId, async (exec, c, now) => {
    if ((exec.status !== "PENDING" && exec.status !== "RUNNING") || exec.pauseRequested) throw invalid(exec, "PAUSED");
    const running = await countRunning(c, exec.id);
    await notifyControl(c, exec.id); // running handlers see ctx.paused
    if (running > 0) {
      // Running tasks may finish; what they hold is given back now unless a requirement said releaseOnPause: false.
      const released = await releaseEvents(c, exec, { onPause: true }, "paused", now);
      return appendEvents(c, exec, [{ type: "EXECUTION_PAUSE_REQUESTED", message: `pause requested: waiting for ${running} running task(s)` }, ...released], now, { pauseRequested: true });
    }
    const timers = await freezeTimers(c, exec, now);
    return appendEvents(c, exec, [{ type: "EXECUTION_PAUSED", status: "PAUSED", message: "execution paused" }], now, timers);
  });
}

/** PAUSED (or pausing) → running again; frozen timers restart with their remaining time. */
export function resumeExecution(services: Services, executionId: string): Promise<void> {
  return control(services, executionId, async (exec, c, now) => {
    if (exec.status === "PAUSED") {
      const timers = await thawTimers(c, exec, now);
      await notifyReady(c, exec.id);
      return appendEvents(c, exec, [{ type: "EXECUTION_RESUMED", status: exec.startedAt ? "RUNNING" : "PENDING", message: "execution resumed" }], now, timers);
    }
    if (exec.pauseRequested) {
      await notifyControl(c, exec.id);
      await notifyReady(c, exec.id);
      return appendEvents(c, exec, [{ type: "EXECUTION_RESUMED", message: "pause request withdrawn" }], now, { pauseRequested: false });
    }
    throw invalid(exec, "RUNNING", "only a paused or pausing execution can resume");
  });
}

/** Aborts running handlers (ctx.signal), cancels every open task run. */
export function cancelExecution(services: Services, executionId: string, reason: string): Promise<void> {
  return control(services, executionId, async (exec, c, now) => {
    if (!["SCHEDULED", "PENDING", "RUNNING", "PAUSED"].includes(exec.status)) throw invalid(exec, "CANCELLED");
    return endExecution(c, exec, now, {
      status: "CANCELLED",
      type: "EXECUTION_CANCELLED",
      message: `execution cancelled: ${reason}`,
      error: { code: "CANCELLED", message: reason },
    });
  });
}

/**
 * Runs the failed, timed-out and cancelled tasks again (and their dependants), keeping completed
 * outputs: same execution, same history, new attempts with a fresh retry budget.
 */
export function retryExecution(services: Services, executionId: string): Promise<void> {
  return control(services, executionId, async (exec, c, now) => {
    if (exec.status !== "FAILED" && exec.status !== "CANCELLED") throw invalid(exec, "PENDING", "only a failed or cancelled execution can be retried");
    const keys = await rerunTasks(c, exec.id, now);
    return appendEvents(c, exec, [{ type: "EXECUTION_RETRIED", status: "PENDING", message: `execution retried: ${keys.length} task(s) run again`, data: { tasks: keys } }], now, {
      completedAt: null,
      error: null,
      result: null,
      startedAt: null,
      deadlineAt: null,
      frozenDeadlineMs: null,
      pauseRequested: false,
    });
  });
}
