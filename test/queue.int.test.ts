import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { CreatePlan, Lists, ScheduleExecution } from "./operations.ts";
import type { Priority } from "./__generated__/graphql.ts";

// Claim order: priority first (CRITICAL … IDLE), then readiness time (FIFO within a priority).
describe.skipIf(!infra().available)("claim order", () => {
  let env: InProcess;

  beforeAll(async () => {
    env = await startInProcess({ concurrency: 1, startWorker: false });
  });

  afterAll(async () => env?.stop());

  it("runs queued work by priority, then in readiness order, one at a time with concurrency 1", async () => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "one", tasks: [{ key: "only", handler: "sleep", input: { ms: 20 } }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const order: [string, Priority][] = [["low", "LOW"], ["normal-1", "NORMAL"], ["idle", "IDLE"], ["critical", "CRITICAL"], ["normal-2", "NORMAL"], ["high", "HIGH"]];
    const ids = new Map<string, string>();
    for (const [label, priority] of order) {
      const { scheduleExecution } = await query(env.url, ScheduleExecution, { input: { planId: createPlan.id, priority } });
      if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
      ids.set(label, scheduleExecution.id);
    }
    await env.worker.start();
    await Promise.all([...ids.values()].map((id) => monitorWs(env.url, id).done));
    const runs = await env.services.db.prisma.taskRun.findMany({
      where: { executionId: { in: [...ids.values()].map((id) => decodeGlobalID(id).id) } },
      select: { executionId: true, startedAt: true, finishedAt: true },
      orderBy: { startedAt: "asc" },
    });
    const label = new Map([...ids].map(([l, id]) => [decodeGlobalID(id).id, l]));
    expect(runs.map((r) => label.get(r.executionId))).toEqual(["critical", "high", "normal-1", "normal-2", "low", "idle"]);
    // Concurrency 1: each run starts after the previous one finished.
    runs.slice(1).forEach((r, i) => expect(r.startedAt!.getTime()).toBeGreaterThanOrEqual(runs[i]!.finishedAt!.getTime()));

    // The executions list filters by plan and status.
    const completed = await query(env.url, Lists, { planId: createPlan.id, status: ["COMPLETED"] });
    expect(completed.executions.edges.map((e) => e.node.id).sort()).toEqual([...ids.values()].sort());
    expect((await query(env.url, Lists, { planId: createPlan.id, status: ["FAILED", "RUNNING"] })).executions.edges).toEqual([]);
  });
});
