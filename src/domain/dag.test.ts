import { describe, expect, it } from "vitest";
import { allSatisfied, findCycle, retryKeys, PLAN_LIMITS, readyKeys, validatePlan, type TaskSpec, type TaskState } from "./dag.ts";
import { CycleError, DuplicateTaskKeyError, UnknownDependencyError, UnknownHandlerError, ValidationError } from "./errors.ts";

const HANDLERS = new Set(["sleep", "noop", "fail"]);
const t = (key: string, dependsOn: string[] = [], extra: Partial<TaskSpec> = {}): TaskSpec => ({ key, handler: "noop", dependsOn, ...extra });
const plan = (...tasks: TaskSpec[]) => ({ name: "p", tasks });

/** Runs validatePlan and returns what it threw (fails the test when it does not throw). */
function rejection(p: { name: string; tasks: TaskSpec[] }): ValidationError {
  try {
    validatePlan(p, HANDLERS);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error("validatePlan accepted an invalid plan");
}

describe("validatePlan", () => {
  it("accepts a diamond", () => {
    expect(() => validatePlan(plan(t("a"), t("b", ["a"]), t("c", ["a"]), t("d", ["b", "c"])), HANDLERS)).not.toThrow();
  });

  it("rejects an empty or blank name", () => {
    for (const name of ["", "   "]) expect(rejection({ name, tasks: [t("a")] })).toMatchObject({ field: "name", reason: "must not be empty" });
  });

  it("rejects a plan without tasks", () => {
    expect(rejection(plan())).toMatchObject({ field: "tasks", reason: "a plan needs at least one task" });
  });

  it("rejects more than maxTasks tasks, accepts exactly maxTasks", () => {
    const tasks = Array.from({ length: PLAN_LIMITS.maxTasks }, (_, i) => t(`t${i}`));
    expect(() => validatePlan(plan(...tasks), HANDLERS)).not.toThrow();
    expect(rejection(plan(...tasks, t("extra")))).toMatchObject({ field: "tasks", reason: "a plan may hold at most 10000 tasks" });
  });

  it.each(["", "-a", ".a", "a b", "a/b", "é", "x".repeat(65)])("rejects key %j", (key) => {
    const err = rejection(plan(t("ok"), t(key)));
    expect(err.constructor).toBe(ValidationError);
    expect(err.field).toBe("tasks[1].key");
  });

  it("accepts keys with digits, '_', '.', '-' up to 64 characters", () => {
    expect(() => validatePlan(plan(t("_a.b-c"), t("9"), t("x".repeat(64))), HANDLERS)).not.toThrow();
  });

  it("rejects a duplicate key with DuplicateTaskKeyError", () => {
    const err = rejection(plan(t("a"), t("b"), t("a")));
    expect(err).toBeInstanceOf(DuplicateTaskKeyError);
    expect(err).toMatchObject({ field: "tasks[2].key", key: "a" });
  });

  it("rejects an unknown handler, listing the known ones sorted", () => {
    const err = rejection(plan(t("a"), t("b", [], { handler: "shell" })));
    expect(err).toBeInstanceOf(UnknownHandlerError);
    expect(err).toMatchObject({ field: "tasks[1].handler", handler: "shell", knownHandlers: ["fail", "noop", "sleep"] });
    expect(err.message).toBe('tasks[1].handler: no handler named "shell" (known: fail, noop, sleep)');
  });

  it("rejects an input over maxTaskInputBytes of JSON", () => {
    // JSON.stringify adds two quote bytes: 65534 + 2 is exactly the limit, one more is over.
    expect(() => validatePlan(plan(t("a", [], { input: "x".repeat(PLAN_LIMITS.maxTaskInputBytes - 2) })), HANDLERS)).not.toThrow();
    const err = rejection(plan(t("a"), t("b", [], { input: "x".repeat(PLAN_LIMITS.maxTaskInputBytes - 1) })));
    expect(err.constructor).toBe(ValidationError);
    expect(err.field).toBe("tasks[1].input");
  });

  it.each([0, -1, 1.5, PLAN_LIMITS.maxTimeoutMs + 1, Number.NaN])("rejects timeoutMs %s", (timeoutMs) => {
    expect(rejection(plan(t("a", [], { timeoutMs }))).field).toBe("tasks[0].timeoutMs");
  });

  it("accepts timeoutMs at the bounds and null", () => {
    expect(() => validatePlan(plan(t("a", [], { timeoutMs: 1 }), t("b", [], { timeoutMs: PLAN_LIMITS.maxTimeoutMs }), t("c", [], { timeoutMs: null })), HANDLERS)).not.toThrow();
  });

  it("rejects an unknown dependency with UnknownDependencyError naming tasks[i].dependsOn[j]", () => {
    const err = rejection(plan(t("a"), t("b", ["a", "zz"])));
    expect(err).toBeInstanceOf(UnknownDependencyError);
    expect(err).toMatchObject({ field: "tasks[1].dependsOn[1]", taskKey: "b", dependency: "zz" });
  });

  it("rejects a dependency listed twice", () => {
    expect(rejection(plan(t("a"), t("b", ["a", "a"])))).toMatchObject({ field: "tasks[1].dependsOn", reason: "names a task more than once" });
  });

  it("rejects more than maxDependsOn dependencies, accepts exactly maxDependsOn", () => {
    const roots = Array.from({ length: PLAN_LIMITS.maxDependsOn + 1 }, (_, i) => t(`r${i}`));
    expect(() => validatePlan(plan(...roots, t("sink", roots.slice(1).map((r) => r.key))), HANDLERS)).not.toThrow();
    expect(rejection(plan(...roots, t("sink", roots.map((r) => r.key))))).toMatchObject({ field: `tasks[${roots.length}].dependsOn`, reason: "may name at most 256 tasks" });
  });

  it("rejects a self-dependency as a cycle", () => {
    const err = rejection(plan(t("a"), t("b", ["b"])));
    expect(err).toBeInstanceOf(CycleError);
    expect((err as CycleError).cycle).toEqual(["b", "b"]);
  });

  it("names a 3-cycle in run order", () => {
    const err = rejection(plan(t("a", ["c"]), t("b", ["a"]), t("c", ["b"])));
    expect(err).toBeInstanceOf(CycleError);
    expect((err as CycleError).cycle).toEqual(["a", "b", "c", "a"]);
    expect(err.message).toBe("tasks: dependency cycle: a → b → c → a");
  });

  it("finds a cycle that does not include the first task", () => {
    const err = rejection(plan(t("root"), t("x", ["root", "z"]), t("y", ["x"]), t("z", ["y"]), t("leaf", ["z"])));
    expect((err as CycleError).cycle).toEqual(["x", "y", "z", "x"]);
  });
});

describe("findCycle", () => {
  const chain = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `t${i}`, dependsOn: i === 0 ? [] : [`t${i - 1}`] }));

  it("walks a 5000-task chain without overflowing the stack", () => {
    expect(findCycle(chain(5000))).toBeNull();
  });

  it("reports a 5000-task cycle in full", () => {
    const tasks = chain(5000);
    tasks[0]!.dependsOn = ["t4999"];
    const cycle = findCycle(tasks)!;
    expect(cycle).toHaveLength(5001);
    expect(cycle.slice(0, 3)).toEqual(["t0", "t1", "t2"]);
    expect(cycle.slice(-2)).toEqual(["t4999", "t0"]);
  });

  it("returns null for a diamond", () => {
    expect(findCycle([t("a"), t("b", ["a"]), t("c", ["a"]), t("d", ["b", "c"])])).toBeNull();
  });
});

describe("readyKeys", () => {
  const diamond = (a: TaskState["status"], b: TaskState["status"], c: TaskState["status"], d: TaskState["status"] = "WAITING"): TaskState[] => [
    { key: "a", dependsOn: [], status: a },
    { key: "b", dependsOn: ["a"], status: b },
    { key: "c", dependsOn: ["a"], status: c },
    { key: "d", dependsOn: ["b", "c"], status: d },
  ];

  it("readies the waiting roots only", () => {
    expect(readyKeys(diamond("WAITING", "WAITING", "WAITING"))).toEqual(["a"]);
    expect(readyKeys(diamond("READY", "WAITING", "WAITING"))).toEqual([]);
  });

  it("readies b and c once a completed", () => {
    expect(readyKeys(diamond("COMPLETED", "WAITING", "WAITING"))).toEqual(["b", "c"]);
  });

  it("readies d only when both b and c completed", () => {
    expect(readyKeys(diamond("COMPLETED", "COMPLETED", "RUNNING"))).toEqual([]);
    expect(readyKeys(diamond("COMPLETED", "COMPLETED", "WAITING"))).toEqual(["c"]);
    expect(readyKeys(diamond("COMPLETED", "COMPLETED", "COMPLETED"))).toEqual(["d"]);
  });

  it.each(["FAILED", "TIMED_OUT", "CANCELLED"] as const)("never readies a task whose dependency is %s", (status) => {
    expect(readyKeys(diamond("COMPLETED", "COMPLETED", status))).toEqual([]);
  });

  it("readies dependants of a SKIPPED task (SKIP recovery: they go on without its output)", () => {
    expect(readyKeys(diamond("COMPLETED", "COMPLETED", "SKIPPED"))).toEqual(["d"]);
  });

  it("treats a failed task whose fallback completed as satisfied, and never readies fallbacks on their own", () => {
    const tasks = [
      { key: "a", dependsOn: [], status: "FAILED" as const, replacedBy: "a-backup" },
      { key: "a-backup", dependsOn: [], status: "WAITING" as const, fallback: true },
      { key: "b", dependsOn: ["a"], status: "WAITING" as const },
    ];
    expect(readyKeys(tasks)).toEqual([]);
    expect(allSatisfied(tasks)).toBe(false);
    tasks[1] = { ...tasks[1]!, status: "COMPLETED" as never };
    expect(readyKeys(tasks)).toEqual(["b"]);
  });
});

describe("allSatisfied", () => {
  it("ignores unused fallbacks and accepts SKIPPED tasks", () => {
    expect(allSatisfied([
      { key: "a", dependsOn: [], status: "COMPLETED" },
      { key: "b", dependsOn: [], status: "SKIPPED" },
      { key: "f", dependsOn: [], status: "WAITING", fallback: true },
    ])).toBe(true);
    expect(allSatisfied([{ key: "a", dependsOn: [], status: "RUNNING" }])).toBe(false);
  });
});

describe("retryKeys", () => {
  it("re-runs failed, timed-out and cancelled tasks and their dependants, keeping completed ones", () => {
    const tasks = [
      { key: "a", dependsOn: [], status: "COMPLETED" as const },
      { key: "b", dependsOn: ["a"], status: "FAILED" as const },
      { key: "c", dependsOn: ["a"], status: "CANCELLED" as const },
      { key: "d", dependsOn: ["b"], status: "CANCELLED" as const },
      { key: "e", dependsOn: ["a"], status: "COMPLETED" as const },
    ];
    expect(retryKeys(tasks, ["FAILED", "TIMED_OUT", "CANCELLED"]).sort()).toEqual(["b", "c", "d"]);
  });
});
