import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { shutdown, type Closable } from "./shutdown.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", "test", new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
  return { log, lines, messages: () => lines.map((l) => l.msg) };
}

const never = (name: string, open?: string[]): Closable => ({ name, stop: () => new Promise(() => undefined), ...(open ? { open: () => open } : {}) });
const untilDeadline = (name: string, open: string[]): Closable => ({ name, stop: (d) => new Promise((r) => d.addEventListener("abort", () => r(), { once: true })), open: () => open });

describe("shutdown", () => {
  it("stops the stages in order, each stage's parts side by side, and exits 0 when all stopped within the grace period", async () => {
    const order: string[] = [];
    const part = (name: string): Closable => ({ name, stop: async () => void order.push(name) });
    const { log, lines } = capture();
    expect(await shutdown(log, 10_000, [[part("api"), part("worker")], [part("db")]])).toBe(0);
    expect(order).toEqual(["api", "worker", "db"]);
    expect(lines).toEqual([]);
  });

  it("after the grace period names what is still open, tells it to close, and exits 1", async () => {
    const { log, lines, messages } = capture();
    expect(await shutdown(log, 10, [[untilDeadline("worker", ["run r1 (task a of execution e1)"]), { name: "api", stop: async () => undefined }]], 60_000)).toBe(1);
    expect(messages()).toEqual(["shutdown: the grace period (10 ms) is over; closing what is still open"]);
    expect(lines[0]!.open).toEqual(["run r1 (task a of execution e1)"]);
  });

  it("exits 1 after the closing bound whatever stays stuck, naming it (a part with nothing to name by its own name)", async () => {
    const { log, lines, messages } = capture();
    expect(await shutdown(log, 10, [[never("worker", ["the worker's claim loop"]), never("database and bus")]], 10)).toBe(1);
    expect(messages()).toEqual(["shutdown: the grace period (10 ms) is over; closing what is still open", "shutdown: still open 10 ms after closing; exiting anyway"]);
    expect(lines.map((l) => l.open)).toEqual([
      ["the worker's claim loop", "database and bus"],
      ["the worker's claim loop", "database and bus"],
    ]);
  });

  it("exits 1 when a step fails, and still runs the later stages", async () => {
    const later: string[] = [];
    const { log, messages } = capture();
    const failing: Closable = { name: "api", stop: async () => Promise.reject(new Error("boom")) };
    expect(await shutdown(log, 10_000, [[failing], [{ name: "db", stop: async () => void later.push("db") }]])).toBe(1);
    expect(later).toEqual(["db"]);
    expect(messages()).toEqual(["shutdown step failed"]);
  });
});
