import { expect } from "vitest";
import { CreatePlan, ExecutionDetails, Monitor, ScheduleExecution } from "../operations.ts";
import type { MonitorSubscription } from "../__generated__/graphql.ts";
import { query, subscribeSse, subscribeWs, type Subscription } from "./clients.ts";

export type Update = MonitorSubscription["monitor"];

/** The diamond a → (b, c) → d; b and c sleep long enough to overlap and to let a subscriber join mid-run. */
export async function createDiamond(url: string, sleepMs = { a: 300, b: 1200, c: 1200 }): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, {
    input: {
      name: "diamond",
      tasks: [
        { key: "a", handler: "sleep", input: { ms: sleepMs.a } },
        { key: "b", handler: "sleep", input: { ms: sleepMs.b }, dependsOn: ["a"] },
        { key: "c", handler: "sleep", input: { ms: sleepMs.c }, dependsOn: ["a"] },
        { key: "d", handler: "noop", input: { done: true }, dependsOn: ["b", "c"] },
      ],
    },
  });
  if (createPlan.__typename !== "Plan") throw new Error(`createPlan failed: ${JSON.stringify(createPlan)}`);
  return createPlan.id;
}

export async function schedule(url: string, planId: string): Promise<string> {
  const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId } });
  if (scheduleExecution.__typename !== "Execution") throw new Error(`scheduleExecution failed: ${JSON.stringify(scheduleExecution)}`);
  return scheduleExecution.id;
}

export const monitorWs = (url: string, executionId: string, afterSeq = 0) => subscribeWs(url, Monitor, { executionId, afterSeq });
export const monitorSse = (url: string, executionId: string, afterSeq = 0) => subscribeSse(url, Monitor, { executionId, afterSeq });

const started = (key: string) => (r: { monitor: Update }[]) => r.some((u) => u.monitor.events.some((e) => e.type === "TASK_STARTED" && e.taskKey === key));

/** seq strictly increasing by one from afterSeq + 1: no gap, no duplicate, no reordering. */
export function expectGapFree(updates: { monitor: Update }[], afterSeq = 0): void {
  expect(updates.map((u) => u.monitor.seq)).toEqual(updates.map((_, i) => afterSeq + i + 1));
}

/**
 * Runs the diamond end to end and checks what the issue asks of it: ordered gap-free events on
 * graphql-ws and SSE, a subscriber joining mid-run with afterSeq 0, b ∥ c, the final status, the timeline.
 */
export async function runDiamondScenario(url: string, faults: { midRun?: () => Promise<() => Promise<void>> } = {}): Promise<void> {
  const planId = await createDiamond(url);
  const executionId = await schedule(url, planId);
  const ws = monitorWs(url, executionId);
  const sse = monitorSse(url, executionId);
  const subs: Subscription<{ monitor: Update }>[] = [ws, sse];
  try {
    await ws.until(started("b"));
    const endFault = await faults.midRun?.();
    const late = monitorWs(url, executionId, 0);
    subs.push(late);
    await Promise.all([ws.done, sse.done, late.done]);
    await endFault?.();

    const types = ws.received.map((u) => `${u.monitor.seq}:${u.monitor.events[0]!.type}${u.monitor.events[0]!.taskKey ? `:${u.monitor.events[0]!.taskKey}` : ""}`);
    for (const sub of subs) {
      expectGapFree(sub.received);
      // The same stream whatever the transport or the joining time: replay equals live.
      expect(sub.received).toEqual(ws.received);
    }
    expect(types[0]).toBe("1:EXECUTION_SCHEDULED");
    expect(types.at(-1)).toMatch(/:EXECUTION_COMPLETED$/);
    expect(types.filter((t) => t.includes("TASK_STARTED"))).toHaveLength(4);
    expect(types.filter((t) => t.includes("TASK_COMPLETED"))).toHaveLength(4);
    const last = ws.received.at(-1)!.monitor;
    expect(last.status).toBe("COMPLETED");
    expect(last.progress).toMatchObject({ percentage: 100, completedTasks: 4, totalTasks: 4, estimatedTimeRemaining: 0 });
    expect(last.metrics.successRate).toBe(1);
    const positions = (type: string, key: string) => types.findIndex((t) => t.endsWith(`${type}:${key}`));
    expect(positions("TASK_STARTED", "b")).toBeGreaterThan(positions("TASK_COMPLETED", "a"));
    expect(positions("TASK_STARTED", "d")).toBeGreaterThan(Math.max(positions("TASK_COMPLETED", "b"), positions("TASK_COMPLETED", "c")));

    const { execution } = await query(url, ExecutionDetails, { id: executionId });
    expect(execution?.status).toBe("COMPLETED");
    expect(execution?.result).toEqual({ d: { echo: { done: true } } });
    const task = (key: string) => execution!.tasks.find((t) => t.key === key)!;
    const span = (key: string) => [Date.parse(task(key).startedAt!), Date.parse(task(key).finishedAt!)] as const;
    const [bStart, bEnd] = span("b");
    const [cStart, cEnd] = span("c");
    expect(bStart < cEnd && cStart < bEnd, `b [${bStart}, ${bEnd}] and c [${cStart}, ${cEnd}] overlap`).toBe(true);
    expect(execution!.tasks.map((t) => [t.key, t.status, t.attempt])).toEqual([["a", "COMPLETED", 1], ["b", "COMPLETED", 1], ["c", "COMPLETED", 1], ["d", "COMPLETED", 1]]);
    // The timeline query tells the same story as the stream.
    expect(execution!.timeline.edges.map((e) => `${e.node.seq}:${e.node.type}${e.node.taskKey ? `:${e.node.taskKey}` : ""}`)).toEqual(types);
  } finally {
    await Promise.all(subs.map((s) => s.close()));
  }
}

/** A failing task fails the execution, cancels the other open runs, and ends every stream. */
export async function runFailingScenario(url: string): Promise<void> {
  const { createPlan } = await query(url, CreatePlan, {
    input: {
      name: "failing",
      tasks: [
        { key: "boom", handler: "fail", input: { message: "kaput", code: "E_KAPUT" } },
        { key: "slow", handler: "sleep", input: { ms: 5000 } },
        { key: "after", handler: "noop", dependsOn: ["boom"] },
      ],
    },
  });
  if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
  const executionId = await schedule(url, createPlan.id);
  const sub = monitorWs(url, executionId);
  await sub.done;
  expectGapFree(sub.received);
  const last = sub.received.at(-1)!.monitor;
  expect(last.status).toBe("FAILED");
  expect(last.events[0]!.type).toBe("EXECUTION_FAILED");
  const failed = sub.received.find((u) => u.monitor.events[0]!.type === "TASK_FAILED")!.monitor;
  expect(failed.messages).toContainEqual({ level: "ERROR", message: "kaput", taskKey: "boom" });
  const { execution } = await query(url, ExecutionDetails, { id: executionId });
  expect(execution?.error).toMatchObject({ code: "E_KAPUT", message: "kaput", taskKey: "boom", recoverable: false });
  expect(Object.fromEntries(execution!.tasks.map((t) => [t.key, t.status]))).toEqual({ boom: "FAILED", slow: "CANCELLED", after: "CANCELLED" });
}
