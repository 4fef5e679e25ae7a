import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs } from "./helpers/scenario.ts";
import { CreatePlan, Lists, ScheduleExecution } from "./operations.ts";
import type { Priority } from "./__generated__/graphql.ts";
import { effectiveRank, effectiveRankSql } from "../src/domain/aging.ts";
import { PRIORITIES } from "../src/domain/status.ts";

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

// Aging: a ready run climbs one priority level per agingStepMs waited, so old IDLE work is not starved.
describe.each(modes())("priority aging ($mode)", ({ embedded }) => {
  let env: InProcess;

  beforeAll(async () => {
    env = await startInProcess({ embedded, concurrency: 1, startWorker: false, agingStepMs: 200 });
  });

  afterAll(async () => env?.stop());

  it("an IDLE execution that waited five aging steps runs before a later burst of HIGH and NORMAL work; a fresh IDLE one still runs last", async () => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "aging", tasks: [{ key: "only", handler: "sleep", input: { ms: 20 } }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const ids = new Map<string, string>();
    const schedule = async (label: string, priority: Priority) => {
      const { scheduleExecution } = await query(env.url, ScheduleExecution, { input: { planId: createPlan.id, priority } });
      if (scheduleExecution.__typename !== "Execution") throw new Error(scheduleExecution.__typename);
      ids.set(label, scheduleExecution.id);
    };
    await schedule("old-idle", "IDLE");
    await new Promise((r) => setTimeout(r, 1100)); // 5 steps: IDLE (rank 4) has aged to rank 0
    // Scheduled in this order, each later one's ties go against it: the order below holds at any pace.
    for (const [label, priority] of [["high", "HIGH"], ["normal-1", "NORMAL"], ["normal-2", "NORMAL"], ["normal-3", "NORMAL"], ["fresh-idle", "IDLE"]] as const)
      await schedule(label, priority);
    await env.worker.start();
    await Promise.all([...ids.values()].map((id) => monitorWs(env.url, id).done));
    const runs = await env.services.db.prisma.taskRun.findMany({
      where: { executionId: { in: [...ids.values()].map((id) => decodeGlobalID(id).id) } },
      select: { executionId: true },
      orderBy: { startedAt: "asc" },
    });
    const label = new Map([...ids].map(([l, id]) => [decodeGlobalID(id).id, l]));
    // Without aging the old IDLE run would be last: high, normal-1..3, old-idle, fresh-idle.
    expect(runs.map((r) => label.get(r.executionId))).toEqual(["old-idle", "high", "normal-1", "normal-2", "normal-3", "fresh-idle"]);
  });

  it("the claim query's SQL aging rule (effectiveRankSql) ranks exactly like effectiveRank", async () => {
    const now = new Date("2026-03-01T12:00:00.000Z");
    const waits = [-86_400_000, -1, 0, 1, 199, 200, 201, 399, 400, 599, 600, 799, 800, 801, 1_000, 59_999, 60_000, 60_001, 240_000, 3_600_000, 10 * 365 * 86_400_000];
    const steps = [1, 200, 1_000, 60_000];
    const grid = PRIORITIES.flatMap((p) => steps.flatMap((step) => waits.map((w) => ({ p, step, readyAt: new Date(now.getTime() - w) }))));
    const rows = await env.services.db.sql.query<{ i: number; r: string }>(
      `SELECT v.i, ${effectiveRankSql('v.p::"Priority"', "v.ready", "$1::timestamptz", "v.step")} AS r
         FROM unnest($2::int[], $3::text[], $4::timestamptz[], $5::int[]) AS v(i, p, ready, step) ORDER BY v.i`,
      [now, grid.map((_, i) => i), grid.map((g) => g.p), grid.map((g) => g.readyAt), grid.map((g) => g.step)],
    );
    const label = (g: (typeof grid)[number]) => `${g.p} waited ${now.getTime() - g.readyAt.getTime()} ms, step ${g.step}`;
    const sql = rows.map((r) => `${label(grid[r.i]!)}: ${Number(r.r)}`);
    expect(sql).toEqual(grid.map((g) => `${label(g)}: ${effectiveRank(g.p, g.readyAt, now, g.step)}`));
    // The grid is not degenerate: it spans every rank.
    expect(new Set(grid.map((g) => effectiveRank(g.p, g.readyAt, now, g.step)))).toEqual(new Set([0, 1, 2, 3, 4]));
    // A NULL readyAt (greatest ignores NULL) counts as no wait, like readyAt = now.
    const [nul] = await env.services.db.sql.query<{ r: string }>(`SELECT ${effectiveRankSql("'LOW'::\"Priority\"", "NULL::timestamptz", "$1::timestamptz", "200")} AS r`, [now]);
    expect(Number(nul!.r)).toBe(effectiveRank("LOW", now, now, 200));
  });
});
