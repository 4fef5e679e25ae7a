import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { RunEndMetrics, type EndedRun } from "../src/services/metric-streams.ts";
import { setAlert } from "../src/services/alerts.ts";
import { initialStats } from "../src/domain/progress.ts";
import type { Db } from "../src/infra/db.ts";

// Run ends' samples are written in batches, off the run's path: a flush is a few statements whatever the
// number of run ends in it, and triggers and alert rules are evaluated only for the metrics they watch.

/** db with every statement of db.sql also handed to `seen`. */
function observed(db: Db, seen: (text: string) => void): Db {
  const { query: q, tx } = db.sql;
  return { ...db, sql: { query: (text, params) => (seen(text), q(text, params)), tx: (fn) => tx((c) => fn({ query: (text, params) => (seen(text), c.query(text, params)) })) } };
}

const ended = (executionId: string, custom: Record<string, number>): EndedRun => {
  const stats = { ...initialStats(4, new Date()), completed: 1, waiting: 3 };
  return { run: { id: randomUUID(), executionId, key: "t", attempt: 1, attemptBase: 0 }, custom, execution: { status: "RUNNING", stats }, at: new Date() };
};

describe.each(modes())("run-end metrics ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false })));
  afterAll(async () => env?.stop());

  const samples = (executionIds: string[], metric: string) =>
    env.services.db.prisma.metricSample.count({ where: { executionId: { in: executionIds }, metric } });

  it("50 run ends cost one flush of three statements, and no trigger or alert rule is read when none watches", async () => {
    const statements: string[] = [];
    const metrics = new RunEndMetrics({ ...env.services, db: observed(env.services.db, (t) => statements.push(t)) });
    const executions = Array.from({ length: 50 }, () => randomUUID());
    for (const id of executions) metrics.add(ended(id, { unwatched_m: 1 }));
    await metrics.close();
    expect(statements.filter((t) => t.includes(`INSERT INTO "MetricSample"`))).toHaveLength(1);
    expect(statements.filter((t) => /FOR UPDATE/.test(t))).toEqual([]); // reportMetrics locks triggers and rules: not called
    expect(statements).toHaveLength(3); // watched metrics, the runs' times, the insert
    expect(await samples(executions, "progress")).toBe(50);
    expect(await samples(executions, "unwatched_m")).toBe(50);
  });

  it("a metric a rule watches is evaluated (the rule fires), the others of the batch are only stored", async () => {
    const ruleId = await setAlert(env.services, { condition: { metric: "watched_m", operator: "GT", threshold: 0 } });
    const metrics = new RunEndMetrics(env.services);
    const executions = Array.from({ length: 5 }, () => randomUUID());
    for (const id of executions) metrics.add(ended(id, { watched_m: 2 }));
    await metrics.close();
    expect(await samples(executions, "watched_m")).toBe(5);
    expect(await samples(executions, "progress")).toBe(5);
    // A global rule keeps a scope per execution: each fires.
    expect(await env.services.db.prisma.alert.count({ where: { ruleId, state: "FIRING" } })).toBe(5);
  });

  it("samples waiting in the buffer are written within a flush interval, without close", async () => {
    const metrics = new RunEndMetrics(env.services);
    const id = randomUUID();
    metrics.add(ended(id, {}));
    await expect.poll(() => samples([id], "progress"), { timeout: 10_000 }).toBe(1);
  });
});
