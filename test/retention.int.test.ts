import { decodeGlobalID } from "@pothos/plugin-relay";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Worker } from "../src/engine/worker.ts";
import { retentionRound, SCOPE_GRACE_MS, type RetentionResult } from "../src/services/retention.ts";
import { RETENTION_LOCK } from "../src/store/retention.ts";
import { query } from "./helpers/clients.ts";
import { databaseUrl, infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { graphql } from "./__generated__/gql.ts";
import type { SetAlertInput } from "./__generated__/graphql.ts";

// Retention: executions that ended longer ago than the retention leave with every row that belongs to
// them, in bounded rounds, one worker at a time; alert-rule scopes of ended executions are pruned (a
// firing one resolves first). Running and recent executions are untouched.

const RetentionSetAlert = graphql(`
  mutation RetentionSetAlert($input: SetAlertInput!) {
    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }
  }
`);

const RetentionCheckpoint = graphql(`
  mutation RetentionCheckpoint($id: ID!) {
    createCheckpoint(executionId: $id) { __typename ... on Error { message } }
  }
`);

const DAY = 86_400_000;
const raw = (id: string) => decodeGlobalID(id).id;

/** Rows of each kind that belong to these executions. */
async function rowsOf(env: InProcess, ids: string[]): Promise<Record<string, number>> {
  const [row] = await env.services.db.sql.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM "Execution" WHERE id = ANY($1::uuid[]))::int AS executions,
            (SELECT count(*) FROM "TaskRun" WHERE "executionId" = ANY($1::uuid[]))::int AS "taskRuns",
            (SELECT count(*) FROM "TaskAttempt" a JOIN "TaskRun" t ON t.id = a."taskRunId" WHERE t."executionId" = ANY($1::uuid[]))::int AS attempts,
            (SELECT count(*) FROM "ExecutionEvent" WHERE "executionId" = ANY($1::uuid[]))::int AS events,
            (SELECT count(*) FROM "ExecutionMessage" WHERE "executionId" = ANY($1::uuid[]))::int AS messages,
            (SELECT count(*) FROM "Checkpoint" WHERE "executionId" = ANY($1::uuid[]))::int AS checkpoints,
            (SELECT count(*) FROM "MetricSample" WHERE "executionId" = ANY($1::uuid[]))::int AS samples,
            (SELECT count(*) FROM "Alert" WHERE "executionId" = ANY($1::uuid[]))::int AS alerts,
            (SELECT count(*) FROM "AlertRule" WHERE "executionId" = ANY($1::uuid[]))::int AS "executionRules"`,
    [ids],
  );
  return row!;
}

const poll = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  for (const end = Date.now() + timeoutMs; !(await check()); await new Promise((r) => setTimeout(r, 50)))
    if (Date.now() > end) throw new Error(`${what}: not in ${timeoutMs} ms`);
};

describe.each(modes())("retention ($mode)", ({ embedded }) => {
  let env: InProcess;
  let planId: string;
  beforeAll(async () => {
    env = await startInProcess({ embedded, handlerModules: "./test/fixtures/handlers.ts" });
    const { createPlan } = await query(env.url, CreatePlan, {
      input: { name: "retained", tasks: [{ key: "a", handler: "report", input: { label: "a", steps: 1, stepMs: 0 } }, { key: "b", handler: "deps", dependsOn: ["a"] }] },
    });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    planId = createPlan.id;
  });
  afterAll(async () => env?.stop());

  const schedule = async (runAt?: string) => {
    const { scheduleExecution: e } = await query(env.url, ScheduleExecution, { input: { planId, runAt } });
    if (e.__typename !== "Execution") throw new Error(JSON.stringify(e));
    return raw(e.id);
  };
  /** Runs `n` executions to their end, each with a checkpoint; returns their ids. */
  const ended = async (n: number) => {
    const ids = await Promise.all(Array.from({ length: n }, () => schedule()));
    await poll("executions completed", async () => (await env.services.db.prisma.execution.count({ where: { id: { in: ids }, status: "COMPLETED" } })) === n);
    // The last run's samples are reported just after its end: wait for them, so no row arrives later.
    await poll("last runs' samples", async () => {
      const [row] = await env.services.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "MetricSample" WHERE "executionId" = ANY($1::uuid[]) AND metric = 'task_duration_ms' AND labels->>'task' = 'b'`, [ids]);
      return row!.n === n;
    });
    for (const id of ids) {
      const { createCheckpoint } = await query(env.url, RetentionCheckpoint, { id });
      if (createCheckpoint.__typename !== "Checkpoint") throw new Error(JSON.stringify(createCheckpoint));
    }
    return ids;
  };
  const endedAgo = (ids: string[], ms: number) => env.services.db.sql.query(`UPDATE "Execution" SET "completedAt" = $2 WHERE id = ANY($1::uuid[])`, [ids, new Date(Date.now() - ms)]);
  /** One round (waiting out a round the worker's own sweeper may be running this instant). */
  const round = async (batch: number): Promise<RetentionResult> => {
    for (;;) {
      const r = await retentionRound(env.services, new Date(), { retentionMs: DAY, batch });
      if (r) return r;
      await new Promise((res) => setTimeout(res, 20));
    }
  };

  it("deletes ended executions older than the retention with all their rows, `batch` per round; leaves running and recent ones; prunes ended alert scopes", async () => {
    const set = async (input: SetAlertInput) => {
      const { setAlert } = await query(env.url, RetentionSetAlert, { input });
      if (setAlert.__typename !== "AlertRule") throw new Error(JSON.stringify(setAlert));
      return raw(setAlert.id);
    };
    const ruleId = await set({ condition: { metric: "steps", operator: "GT", threshold: 0 }, planId }); // fires in each execution's scope
    const old = await ended(5);
    const [recent, fresh] = await ended(2);
    const waiting = await schedule(new Date(Date.now() + DAY).toISOString()); // SCHEDULED: never ends here
    await set({ condition: { metric: "steps", operator: "GT", threshold: 100 }, executionId: old[0] }); // belongs to old[0]
    await poll("each execution's alert fired", async () => (await env.services.db.prisma.alert.count({ where: { ruleId } })) === 7);
    await endedAgo(old, 2 * DAY);
    await endedAgo([recent!], SCOPE_GRACE_MS + 60_000); // past the scope grace, well within the retention

    const before = await rowsOf(env, old);
    for (const [kind, n] of Object.entries(before)) expect({ kind, some: n > 0 }).toEqual({ kind, some: true });
    const kept = [recent!, fresh!, waiting];
    const keptBefore = await rowsOf(env, kept);

    const first = await round(2);
    expect(first.deleted).toHaveLength(2); // the batch bound: 5 were due
    expect(old).toEqual(expect.arrayContaining(first.deleted));
    expect((await rowsOf(env, old)).executions).toBe(3);
    const rest: string[] = [];
    for (let r = await round(2); r.deleted.length > 0; r = await round(2)) rest.push(...r.deleted);
    expect([...first.deleted, ...rest].sort()).toEqual([...old].sort());

    expect(Object.values(await rowsOf(env, old)).every((n) => n === 0)).toBe(true);
    expect(await rowsOf(env, kept)).toEqual({ ...keptBefore, events: keptBefore.events! + 1 }); // + recent's ALERT_RESOLVED

    // The plan rule keeps the scope of the execution that just ended; the one ended past the grace is
    // gone, its alert resolved; the deleted ones' scopes and alerts are gone with them.
    const rule = await env.services.db.prisma.alertRule.findUniqueOrThrow({ where: { id: ruleId } });
    expect(Object.keys(rule.state as object).sort()).toEqual([fresh]);
    const alerts = await env.services.db.prisma.alert.findMany({ where: { ruleId }, select: { executionId: true, state: true } });
    expect(alerts.sort((a, b) => (a.executionId! < b.executionId! ? -1 : 1))).toEqual(
      [{ executionId: recent, state: "RESOLVED" }, { executionId: fresh, state: "FIRING" }].sort((a, b) => (a.executionId! < b.executionId! ? -1 : 1)),
    );
    expect(await env.services.db.prisma.executionEvent.count({ where: { executionId: recent, type: "ALERT_RESOLVED" } })).toBe(1);
  });

  it("without a retention nothing is deleted; a worker with one drains a backlog round by round", async () => {
    const old = await ended(3);
    await endedAgo(old, 2 * DAY);
    expect((await retentionRound(env.services, new Date(), { retentionMs: null, batch: 2 }))?.deleted ?? []).toEqual([]);
    expect((await rowsOf(env, old)).executions).toBe(3);

    const worker = new Worker(env.services, { concurrency: 1, pollIntervalMs: 100, leaseMs: 30_000, agingStepMs: 60_000, retentionMs: DAY, retentionBatch: 2 });
    await worker.start();
    try {
      await poll("the backlog deleted", async () => (await rowsOf(env, old)).executions === 0);
    } finally {
      await worker.stop(AbortSignal.timeout(1000));
    }
  });

  it.skipIf(embedded)("runs on one worker at a time: a round while another holds the retention lock does nothing", async () => {
    const old = await ended(1);
    await endedAgo(old, 2 * DAY);
    const [row] = await env.services.db.sql.query<{ db: string }>(`SELECT current_database() AS db`);
    const other = new pg.Client({ connectionString: databaseUrl(infra().pgUrl, row!.db) });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT pg_advisory_xact_lock(${RETENTION_LOCK})`);
      expect(await retentionRound(env.services, new Date(), { retentionMs: DAY, batch: 10 })).toBeNull();
      expect((await rowsOf(env, old)).executions).toBe(1);
      await other.query("COMMIT");
      expect((await round(10)).deleted).toEqual(old);
    } finally {
      await other.end();
    }
  });
});
