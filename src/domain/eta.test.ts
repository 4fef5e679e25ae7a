import { describe, expect, it } from "vitest";
import { estimateRemainingMs, type EtaTask } from "./eta.ts";
import type { TaskStatus } from "./status.ts";

const now = new Date("2026-01-01T12:00:00.000Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

function task(key: string, status: TaskStatus, dependsOn: string[] = [], extra: Partial<EtaTask> = {}): EtaTask {
  return { key, dependsOn, status, startedAt: null, finishedAt: null, fallback: false, ...extra };
}
/** A completed task that ran `ms`. */
const done = (key: string, ms: number, dependsOn: string[] = []) => task(key, "COMPLETED", dependsOn, { startedAt: ago(100_000 + ms), finishedAt: ago(100_000) });

describe("estimateRemainingMs", () => {
  it("is null before any task completed", () => {
    expect(estimateRemainingMs([task("a", "RUNNING", [], { startedAt: ago(5) }), task("b", "WAITING", ["a"])], now)).toBeNull();
    expect(estimateRemainingMs([task("a", "FAILED", [], { startedAt: ago(9), finishedAt: ago(1) })], now)).toBeNull();
    expect(estimateRemainingMs([], now)).toBeNull();
  });

  it("ignores completed tasks without timestamps for the unit cost", () => {
    expect(estimateRemainingMs([task("a", "COMPLETED"), task("b", "READY")], now)).toBeNull();
  });

  it("is 0 when every task is finished", () => {
    const tasks = [done("a", 1000), task("b", "FAILED", ["a"]), task("c", "TIMED_OUT"), task("d", "SKIPPED"), task("e", "CANCELLED")];
    expect(estimateRemainingMs(tasks, now)).toBe(0);
  });

  it("uses the mean duration of completed tasks as the unit cost", () => {
    // u = (1000 + 3000) / 2 = 2000; one task left.
    expect(estimateRemainingMs([done("a", 1000), done("b", 3000), task("c", "READY", ["a", "b"])], now)).toBe(2000);
  });

  it("a chain adds up", () => {
    const tasks = [done("a", 1000), task("b", "READY", ["a"]), task("c", "WAITING", ["b"]), task("d", "WAITING", ["c"])];
    expect(estimateRemainingMs(tasks, now)).toBe(3000);
  });

  it("a diamond counts parallel branches once", () => {
    // a → {b, c} → d: b and c run side by side, so 2 units (b|c, then d), not 3.
    const tasks = [done("a", 1000), task("b", "READY", ["a"]), task("c", "READY", ["a"]), task("d", "WAITING", ["b", "c"])];
    expect(estimateRemainingMs(tasks, now)).toBe(2000);
  });

  it("takes the longest of unequal branches", () => {
    // a → b → c → e and a → d → e: the 3-unit branch wins.
    const tasks = [done("a", 500), task("b", "READY", ["a"]), task("c", "WAITING", ["b"]), task("d", "READY", ["a"]), task("e", "WAITING", ["c", "d"])];
    expect(estimateRemainingMs(tasks, now)).toBe(1500);
  });

  it("subtracts the elapsed time of a running task", () => {
    const tasks = [done("a", 1000), task("b", "RUNNING", ["a"], { startedAt: ago(300) }), task("c", "WAITING", ["b"])];
    expect(estimateRemainingMs(tasks, now)).toBe(1700); // 700 + 1000
  });

  it("a running task past the unit cost costs 0, not less", () => {
    const tasks = [done("a", 1000), task("b", "RUNNING", ["a"], { startedAt: ago(5000) }), task("c", "WAITING", ["b"])];
    expect(estimateRemainingMs(tasks, now)).toBe(1000);
  });

  it("a running task started in the future (clock skew) costs one unit", () => {
    expect(estimateRemainingMs([done("a", 1000), task("b", "RUNNING", [], { startedAt: ago(-500) })], now)).toBe(1000);
  });

  it("RETRYING counts a full unit", () => {
    expect(estimateRemainingMs([done("a", 800), task("b", "RETRYING", ["a"])], now)).toBe(800);
  });

  it("waiting fallback tasks cost nothing; invoked ones do", () => {
    // Every regular task is done: an unused fallback must not keep the estimate above 0.
    expect(estimateRemainingMs([done("a", 1000), task("fb", "WAITING", [], { fallback: true })], now)).toBe(0);
    expect(estimateRemainingMs([done("a", 1000), task("fb", "READY", [], { fallback: true }), task("fb2", "WAITING", [], { fallback: true })], now)).toBe(1000);
    const long = [done("a", 1000), task("x", "FAILED"), task("fb", "RUNNING", [], { fallback: true, startedAt: ago(200) })];
    expect(estimateRemainingMs(long, now)).toBe(800);
  });

  it("ignores unknown dependencies and self-references", () => {
    expect(estimateRemainingMs([done("a", 1000), task("b", "READY", ["ghost", "b"])], now)).toBe(1000);
  });

  it("does not hang on a cycle (never in a validated plan)", () => {
    const tasks = [done("a", 1000), task("b", "WAITING", ["c"]), task("c", "WAITING", ["b"])];
    expect(estimateRemainingMs(tasks, now)).toBe(1000);
  });

  it("rounds to an integer", () => {
    // u = (1 + 2) / 2 = 1.5; two tasks in a chain → 3; three → 4.5 → 5 (Math.round).
    const base = [done("a", 1), done("b", 2)];
    expect(estimateRemainingMs([...base, task("c", "READY"), task("d", "WAITING", ["c"])], now)).toBe(3);
    expect(estimateRemainingMs([...base, task("c", "READY"), task("d", "WAITING", ["c"]), task("e", "WAITING", ["d"])], now)).toBe(5);
  });

  it("handles a 5000-task chain and a 600-wide fan-in without deep recursion", () => {
    const chain: EtaTask[] = [done("t0", 10)];
    for (let i = 1; i < 5000; i++) chain.push(task(`t${i}`, "WAITING", [`t${i - 1}`]));
    expect(estimateRemainingMs(chain, now)).toBe(49_990);
    // Given in reverse order, so the sort cannot be the input order.
    expect(estimateRemainingMs([...chain].reverse(), now)).toBe(49_990);

    const fan: EtaTask[] = [done("root", 10)];
    for (let i = 0; i < 600; i++) fan.push(task(`m${i}`, "READY", ["root"]));
    fan.push(task("sink", "WAITING", fan.slice(1).map((t) => t.key)));
    expect(estimateRemainingMs(fan, now)).toBe(20);
  });
});
