import { describe, expect, it } from "vitest";
import { downstreamLengths, estimateRemainingMs, type RemainingWork } from "./eta.ts";
import { isTerminalTask, type TaskStatus } from "./status.ts";

const now = new Date("2026-01-01T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

interface Task {
  key: string;
  dependsOn: string[];
  status: TaskStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  fallback: boolean;
}
function task(key: string, status: TaskStatus, dependsOn: string[] = [], extra: Partial<Task> = {}): Task {
  return { key, dependsOn, status, startedAt: null, finishedAt: null, fallback: false, ...extra };
}
/** A completed task that ran `ms`. */
const done = (key: string, ms: number, dependsOn: string[] = []) => task(key, "COMPLETED", dependsOn, { startedAt: ago(100_000 + ms), finishedAt: ago(100_000) });

/** What the store's aggregate (store/outbox.ts tallyTasks) reads of these runs. */
function work(tasks: readonly Task[]): RemainingWork {
  const downstream = downstreamLengths(tasks);
  const timed = tasks.filter((t) => t.status === "COMPLETED" && t.startedAt && t.finishedAt);
  const queued = tasks.filter((t) => !isTerminalTask(t.status) && t.status !== "RUNNING" && !(t.fallback && t.status === "WAITING"));
  return {
    unitMs: timed.length ? timed.reduce((sum, t) => sum + Math.max(0, t.finishedAt!.getTime() - t.startedAt!.getTime()), 0) / timed.length : null,
    longestQueued: queued.length ? Math.max(...queued.map((t) => downstream.get(t.key)!)) : null,
    running: tasks.filter((t) => t.status === "RUNNING").map((t) => ({ startedAt: t.startedAt, downstream: downstream.get(t.key)! })),
  };
}
const eta = (tasks: readonly Task[]) => estimateRemainingMs(work(tasks), now);

describe("downstreamLengths", () => {
  it("counts the regular tasks on the longest chain of dependants; a sink has 0", () => {
    // a → b → c → e and a → d → e
    const lengths = downstreamLengths([task("a", "WAITING"), task("b", "WAITING", ["a"]), task("c", "WAITING", ["b"]), task("d", "WAITING", ["a"]), task("e", "WAITING", ["c", "d"])]);
    expect(Object.fromEntries(lengths)).toEqual({ a: 3, b: 2, c: 1, d: 1, e: 0 });
  });

  it("a fallback on a chain adds nothing", () => {
    const lengths = downstreamLengths([task("a", "WAITING"), task("fb", "WAITING", ["a"], { fallback: true }), task("z", "WAITING", ["fb"])]);
    expect(Object.fromEntries(lengths)).toEqual({ a: 1, fb: 1, z: 0 });
  });

  it("ignores unknown dependencies and self-references, and ends on a cycle (never in a validated plan)", () => {
    expect(Object.fromEntries(downstreamLengths([task("a", "WAITING", ["ghost", "a"]), task("b", "WAITING", ["a", "a"])]))).toEqual({ a: 1, b: 0 });
    expect(Object.fromEntries(downstreamLengths([task("b", "WAITING", ["c"]), task("c", "WAITING", ["b"])]))).toEqual({ b: 0, c: 0 });
  });
});

describe("estimateRemainingMs", () => {
  it("is null before any task completed", () => {
    expect(eta([task("a", "RUNNING", [], { startedAt: ago(5) }), task("b", "WAITING", ["a"])])).toBeNull();
    expect(eta([task("a", "FAILED", [], { startedAt: ago(9), finishedAt: ago(1) })])).toBeNull();
    expect(eta([])).toBeNull();
  });

  it("ignores completed tasks without timestamps for the unit cost", () => {
    expect(eta([task("a", "COMPLETED"), task("b", "READY")])).toBeNull();
  });

  it("is 0 when every task is finished", () => {
    const tasks = [done("a", 1000), task("b", "FAILED", ["a"]), task("c", "TIMED_OUT"), task("d", "SKIPPED"), task("e", "CANCELLED")];
    expect(eta(tasks)).toBe(0);
  });

  it("uses the mean duration of completed tasks as the unit cost", () => {
    // u = (1000 + 3000) / 2 = 2000; one task left.
    expect(eta([done("a", 1000), done("b", 3000), task("c", "READY", ["a", "b"])])).toBe(2000);
  });

  it("a chain adds up", () => {
    const tasks = [done("a", 1000), task("b", "READY", ["a"]), task("c", "WAITING", ["b"]), task("d", "WAITING", ["c"])];
    expect(eta(tasks)).toBe(3000);
  });

  it("a diamond counts parallel branches once", () => {
    // a → {b, c} → d: b and c run side by side, so 2 units (b|c, then d), not 3.
    const tasks = [done("a", 1000), task("b", "READY", ["a"]), task("c", "READY", ["a"]), task("d", "WAITING", ["b", "c"])];
    expect(eta(tasks)).toBe(2000);
  });

  it("takes the longest of unequal branches", () => {
    // a → b → c → e and a → d → e: the 3-unit branch wins.
    const tasks = [done("a", 500), task("b", "READY", ["a"]), task("c", "WAITING", ["b"]), task("d", "READY", ["a"]), task("e", "WAITING", ["c", "d"])];
    expect(eta(tasks)).toBe(1500);
  });

  it("subtracts the elapsed time of a running task", () => {
    const tasks = [done("a", 1000), task("b", "RUNNING", ["a"], { startedAt: ago(300) }), task("c", "WAITING", ["b"])];
    expect(eta(tasks)).toBe(1700); // 700 + 1000
  });

  it("a running task past the unit cost costs 0, not less", () => {
    const tasks = [done("a", 1000), task("b", "RUNNING", ["a"], { startedAt: ago(5000) }), task("c", "WAITING", ["b"])];
    expect(eta(tasks)).toBe(1000);
  });

  it("a running task started in the future (clock skew) costs one unit", () => {
    expect(eta([done("a", 1000), task("b", "RUNNING", [], { startedAt: ago(-500) })])).toBe(1000);
  });

  it("RETRYING counts a full unit", () => {
    expect(eta([done("a", 800), task("b", "RETRYING", ["a"])])).toBe(800);
  });

  it("waiting fallback tasks cost nothing; invoked ones do", () => {
    // Every regular task is done: an unused fallback must not keep the estimate above 0.
    expect(eta([done("a", 1000), task("fb", "WAITING", [], { fallback: true })])).toBe(0);
    expect(eta([done("a", 1000), task("fb", "READY", [], { fallback: true }), task("fb2", "WAITING", [], { fallback: true })])).toBe(1000);
    const long = [done("a", 1000), task("x", "FAILED"), task("fb", "RUNNING", [], { fallback: true, startedAt: ago(200) })];
    expect(eta(long)).toBe(800);
  });

  it("ignores unknown dependencies and self-references", () => {
    expect(eta([done("a", 1000), task("b", "READY", ["ghost", "b"])])).toBe(1000);
  });

  it("does not hang on a cycle (never in a validated plan)", () => {
    const tasks = [done("a", 1000), task("b", "WAITING", ["c"]), task("c", "WAITING", ["b"])];
    expect(eta(tasks)).toBe(1000);
  });

  it("rounds to an integer", () => {
    // u = (1 + 2) / 2 = 1.5; two tasks in a chain → 3; three → 4.5 → 5 (Math.round).
    const base = [done("a", 1), done("b", 2)];
    expect(eta([...base, task("c", "READY"), task("d", "WAITING", ["c"])])).toBe(3);
    expect(eta([...base, task("c", "READY"), task("d", "WAITING", ["c"]), task("e", "WAITING", ["d"])])).toBe(5);
  });

  it("handles a 5000-task chain and a 600-wide fan-in without deep recursion", () => {
    const chain: Task[] = [done("t0", 10)];
    for (let i = 1; i < 5000; i++) chain.push(task(`t${i}`, "WAITING", [`t${i - 1}`]));
    expect(eta(chain)).toBe(49_990);
    // Given in reverse order, so the sort cannot be the input order.
    expect(eta([...chain].reverse())).toBe(49_990);

    const fan: Task[] = [done("root", 10)];
    for (let i = 0; i < 600; i++) fan.push(task(`m${i}`, "READY", ["root"]));
    fan.push(task("sink", "WAITING", fan.slice(1).map((t) => t.key)));
    expect(eta(fan)).toBe(20);
  });
});
