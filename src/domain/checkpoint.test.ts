import { describe, expect, it } from "vitest";
import { CHECKPOINT_LIMITS, checkpointedKeys, decideAutomaticRestore, planRestore, validateCheckpointInterval } from "./checkpoint.ts";
import type { TaskState } from "./dag.ts";
import { ValidationError } from "./errors.ts";
import { validatePlanSpec } from "./plan.ts";

const task = (key: string, status: TaskState["status"], dependsOn: string[] = [], extra: Partial<TaskState> = {}): TaskState => ({ key, status, dependsOn, ...extra });
const saved = (tasks: TaskState[]) => Object.fromEntries(tasks.map((t) => [t.key, { status: t.status, replacedBy: t.replacedBy ?? null }]));

describe("validateCheckpointInterval", () => {
  it("accepts unset and 1000..86 400 000 ms", () => {
    for (const v of [null, undefined, 1000, 60_000, 86_400_000]) expect(() => validateCheckpointInterval(v, "checkpointIntervalMs")).not.toThrow();
  });

  it.each([999, 86_400_001, 1500.5, 0, -1, Number.NaN])("rejects %s naming the field", (v) => {
    expect(() => validateCheckpointInterval(v, "checkpointIntervalMs")).toThrow(
      expect.objectContaining({ name: "ValidationError", field: "checkpointIntervalMs", reason: "must be an integer between 1000 and 86400000 (ms)" }),
    );
  });

  it("is part of plan validation", () => {
    const plan = { name: "p", tasks: [{ key: "a", handler: "noop" }] };
    expect(() => validatePlanSpec({ ...plan, checkpointIntervalMs: 1000 }, new Set(["noop"]))).not.toThrow();
    expect(() => validatePlanSpec({ ...plan, checkpointIntervalMs: 10 }, new Set(["noop"]))).toThrow(ValidationError);
  });
});

describe("checkpointedKeys", () => {
  it("counts completed, skipped, and failed-but-replaced tasks (with their completed fallback) as done", () => {
    const tasks = [
      task("a", "COMPLETED"),
      task("s", "SKIPPED"),
      task("f", "FAILED", [], { replacedBy: "fb" }),
      task("fb", "COMPLETED", [], { fallback: true }),
      task("r", "RUNNING", ["a"]),
      task("x", "FAILED"),
      task("y", "FAILED", [], { replacedBy: "fb2" }),
      task("fb2", "RUNNING", [], { fallback: true }),
      task("w", "WAITING", ["r"]),
    ];
    expect(checkpointedKeys(tasks)).toEqual(["a", "s", "f", "fb"]);
  });
});

describe("planRestore", () => {
  // a → b → c, d independent
  const chain = (a: TaskState["status"], b: TaskState["status"], c: TaskState["status"], d: TaskState["status"]) => [
    task("a", a),
    task("b", b, ["a"]),
    task("c", c, ["b"]),
    task("d", d),
  ];

  it("keeps the tasks done in the checkpoint and resets the rest, readying those whose dependencies are done", () => {
    const atCheckpoint = chain("COMPLETED", "RUNNING", "WAITING", "READY");
    const now = chain("COMPLETED", "COMPLETED", "FAILED", "COMPLETED");
    expect(planRestore(now, { completedTasks: ["a"], saved: saved(atCheckpoint) })).toEqual({ kept: ["a"], reset: ["b", "c", "d"], ready: ["b", "d"] });
  });

  it("brings back tasks that ran again since (a later checkpoint after a restore to an earlier one)", () => {
    const atCheckpoint = chain("COMPLETED", "COMPLETED", "RUNNING", "COMPLETED");
    const now = chain("COMPLETED", "RUNNING", "WAITING", "READY");
    expect(planRestore(now, { completedTasks: ["a", "b", "d"], saved: saved(atCheckpoint) })).toEqual({ kept: ["a", "b", "d"], reset: ["c"], ready: ["c"] });
  });

  it("keeps a failed task with the completed fallback that replaced it, so its dependants may run", () => {
    const atCheckpoint = [task("f", "FAILED", [], { replacedBy: "fb" }), task("fb", "COMPLETED", [], { fallback: true }), task("after", "READY", ["f"]), task("fb2", "WAITING", [], { fallback: true })];
    const now = [task("f", "FAILED", [], { replacedBy: "fb" }), task("fb", "COMPLETED", [], { fallback: true }), task("after", "FAILED", ["f"]), task("fb2", "WAITING", [], { fallback: true })];
    expect(planRestore(now, { completedTasks: ["f", "fb"], saved: saved(atCheckpoint) })).toEqual({ kept: ["f", "fb"], reset: ["after", "fb2"], ready: ["after"] });
  });

  it("an empty checkpoint resets everything: the roots become ready", () => {
    expect(planRestore(chain("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"), { completedTasks: [], saved: {} })).toEqual({
      kept: [],
      reset: ["a", "b", "c", "d"],
      ready: ["a", "d"],
    });
  });

  it("refuses a checkpoint in which every task was done: nothing would run again", () => {
    const done = chain("COMPLETED", "COMPLETED", "COMPLETED", "SKIPPED");
    expect(planRestore(chain("COMPLETED", "FAILED", "CANCELLED", "SKIPPED"), { completedTasks: ["a", "b", "c", "d"], saved: saved(done) })).toEqual({ nothingToRun: true });
  });

  it("ignores completed keys that the checkpoint holds no state for", () => {
    expect(planRestore(chain("COMPLETED", "FAILED", "WAITING", "COMPLETED"), { completedTasks: ["a", "zzz"], saved: {} })).toMatchObject({ kept: [], ready: ["a", "d"] });
  });
});

describe("decideAutomaticRestore", () => {
  it("restores the newest checkpoint while automatic restores are left", () => {
    expect(decideAutomaticRestore({ latestCheckpointId: "cp", automaticRestores: 0 })).toEqual({ restore: "cp" });
    expect(decideAutomaticRestore({ latestCheckpointId: "cp", automaticRestores: CHECKPOINT_LIMITS.maxAutomaticRestores - 1 })).toEqual({ restore: "cp" });
  });

  it("aborts without a checkpoint", () => {
    expect(decideAutomaticRestore({ latestCheckpointId: null, automaticRestores: 0 })).toEqual({ abort: "no checkpoint to restore" });
  });

  it("aborts after maxAutomaticRestores (3) restores, so a recurring failure cannot loop", () => {
    expect(CHECKPOINT_LIMITS.maxAutomaticRestores).toBe(3);
    expect(decideAutomaticRestore({ latestCheckpointId: "cp", automaticRestores: 3 })).toEqual({ abort: "automatic restores exhausted: 3 of 3" });
  });
});
