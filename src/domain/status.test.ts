import { describe, expect, it } from "vitest";
import { InvalidTransitionError } from "./errors.ts";
import {
  assertExecutionTransition,
  assertTaskTransition,
  canTransitionExecution,
  canTransitionTask,
  CHECKPOINTABLE_EXECUTION_STATUSES,
  EXECUTION_STATUSES,
  isTerminalExecution,
  isTerminalTask,
  OPEN_TASK_STATUSES,
  TASK_STATUSES,
  type ExecutionStatus,
  type TaskStatus,
} from "./status.ts";

// The expected state machines, written out independently of the implementation.
const EXECUTION_ALLOWED: Record<ExecutionStatus, ExecutionStatus[]> = {
  SCHEDULED: ["PENDING", "CANCELLED", "FAILED"],
  PENDING: ["RUNNING", "PAUSED", "CANCELLED", "FAILED"],
  RUNNING: ["COMPLETED", "FAILED", "PAUSED", "CANCELLED", "PENDING"],
  PAUSED: ["RUNNING", "PENDING", "CANCELLED"],
  COMPLETED: ["PENDING"],
  FAILED: ["PENDING"],
  CANCELLED: ["PENDING"],
};

const TASK_ALLOWED: Record<TaskStatus, TaskStatus[]> = {
  WAITING: ["READY", "SKIPPED", "CANCELLED"],
  READY: ["RUNNING", "CANCELLED"],
  RUNNING: ["COMPLETED", "FAILED", "TIMED_OUT", "RETRYING", "SKIPPED", "READY", "CANCELLED"],
  RETRYING: ["RUNNING", "READY", "CANCELLED"],
  COMPLETED: [],
  FAILED: ["WAITING", "READY"],
  TIMED_OUT: ["WAITING", "READY"],
  SKIPPED: [],
  CANCELLED: ["WAITING", "READY"],
};

const pairs = <S extends string>(all: readonly S[], allowed: Record<S, S[]>) =>
  all.flatMap((from) => all.map((to) => ({ from, to, ok: allowed[from].includes(to) })));

describe("execution transitions", () => {
  it.each(pairs(EXECUTION_STATUSES, EXECUTION_ALLOWED))("$from → $to allowed: $ok", ({ from, to, ok }) => {
    expect(canTransitionExecution(from, to)).toBe(ok);
    if (ok) expect(() => assertExecutionTransition(from, to)).not.toThrow();
    else expect(() => assertExecutionTransition(from, to)).toThrow(InvalidTransitionError);
  });

  it("names entity, from and to in the error", () => {
    expect(() => assertExecutionTransition("COMPLETED", "RUNNING")).toThrow(
      expect.objectContaining({ entity: "execution", from: "COMPLETED", to: "RUNNING", message: "execution cannot go from COMPLETED to RUNNING" }),
    );
  });

  it("treats exactly COMPLETED, FAILED and CANCELLED as terminal", () => {
    expect(EXECUTION_STATUSES.filter(isTerminalExecution)).toEqual(["COMPLETED", "FAILED", "CANCELLED"]);
  });

  it("checkpoints every status but SCHEDULED, and each of them can be restored to PENDING", () => {
    expect(CHECKPOINTABLE_EXECUTION_STATUSES).toEqual(["PENDING", "RUNNING", "PAUSED", "COMPLETED", "FAILED", "CANCELLED"]);
    for (const s of CHECKPOINTABLE_EXECUTION_STATUSES) expect(s === "PENDING" || canTransitionExecution(s, "PENDING"), s).toBe(true);
  });
});

describe("task transitions", () => {
  it.each(pairs(TASK_STATUSES, TASK_ALLOWED))("$from → $to allowed: $ok", ({ from, to, ok }) => {
    expect(canTransitionTask(from, to)).toBe(ok);
    if (ok) expect(() => assertTaskTransition(from, to)).not.toThrow();
    else expect(() => assertTaskTransition(from, to)).toThrow(InvalidTransitionError);
  });

  it("names entity, from and to in the error", () => {
    expect(() => assertTaskTransition("WAITING", "RUNNING")).toThrow(
      expect.objectContaining({ entity: "task run", from: "WAITING", to: "RUNNING", message: "task run cannot go from WAITING to RUNNING" }),
    );
  });

  it("treats the five end states as terminal and the rest as open", () => {
    expect(TASK_STATUSES.filter(isTerminalTask)).toEqual(["COMPLETED", "FAILED", "TIMED_OUT", "SKIPPED", "CANCELLED"]);
    expect(OPEN_TASK_STATUSES).toEqual(["WAITING", "READY", "RUNNING", "RETRYING"]);
  });
});
