import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan, ScheduleExecution } from "./operations.ts";
import { Worker } from "../src/engine/worker.ts";
import type { Db } from "../src/infra/db.ts";
import { ALERTS_PENDING_DUE, CHECKPOINTS_DUE, DEADLINE_PASSED, DELIVERIES_DUE, LEASE_EXPIRED, PROMOTABLE, SCHEDULES_DUE } from "../src/store/due.ts";

// The timer sweeps run on their own loop: a wake-up for ready work only claims, a round with nothing due
// is the gate alone, and with several workers the leader sweeps what comes due on the clock. Told apart
// by the statements each worker sends (the poll is 10 minutes: every round here was asked for by an event or a timer).

const isGate = (text: string) => text.includes("AS leader");
const SWEEP_WORK = [PROMOTABLE, DEADLINE_PASSED, LEASE_EXPIRED, CHECKPOINTS_DUE, SCHEDULES_DUE, ALERTS_PENDING_DUE, DELIVERIES_DUE];
const isSweep = (text: string) => !isGate(text) && SWEEP_WORK.some((w) => text.includes(w));
const isPromote = (text: string) => !isGate(text) && text.includes(PROMOTABLE);

/** db with every statement of db.sql also handed to `seen`. */
function observed(db: Db, seen: (text: string) => void): Db {
  const { query: q, tx } = db.sql;
  return { ...db, sql: { query: (text, params) => (seen(text), q(text, params)), tx: (fn) => tx((c) => fn({ query: (text, params) => (seen(text), c.query(text, params)) })) } };
}

async function noopPlan(url: string): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name: "sweeps", tasks: [{ key: "n", handler: "noop" }] } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}

async function scheduleAt(url: string, planId: string, runAt: Date): Promise<string> {
  const { scheduleExecution } = await query(url, ScheduleExecution, { input: { planId, runAt: runAt.toISOString() } });
  if (scheduleExecution.__typename !== "Execution") throw new Error(JSON.stringify(scheduleExecution));
  return scheduleExecution.id;
}

describe.each(modes())("timer sweeps ($mode)", ({ embedded }) => {
  let env: InProcess;
  const statements: string[] = []; // the API's and every worker's
  beforeAll(async () => void (env = await startInProcess({ embedded, pollIntervalMs: 600_000, onStatement: (text) => statements.push(text) })));
  afterAll(async () => env?.stop());

  it("a wake-up for ready work only claims: executions run one after the other, and no sweep runs", async () => {
    const planId = await noopPlan(env.url);
    const from = statements.length;
    for (let i = 0; i < 10; i += 1) await monitorWs(env.url, await schedule(env.url, planId)).done;
    const during = statements.slice(from);
    expect(during.filter(isSweep)).toEqual([]); // before: all eight sweeps on every wake-up
    expect(during.filter(isGate).length).toBeGreaterThan(0); // the gate did look (and found nothing due)
  });

  it("a timer that comes due is swept by the leader alone; once it stops, the other worker leads", async () => {
    const planId = await noopPlan(env.url);
    const other: string[] = [];
    const second = new Worker({ ...env.services, db: observed(env.services.db, (text) => other.push(text)) }, { concurrency: 2, pollIntervalMs: 600_000, leaseMs: 30_000, agingStepMs: 60_000 });
    await second.start(); // started after env.worker: that one is the oldest, it leads
    try {
      let from = statements.length;
      let id = await scheduleAt(env.url, planId, new Date(Date.now() + 2000));
      await monitorWs(env.url, id).done;
      // Both read the timer (the NOTIFY of the new execution), both woke for it; only the leader swept.
      const promotes = statements.slice(from).filter(isPromote).length;
      expect(other.filter(isPromote)).toEqual([]);
      expect(promotes).toBeGreaterThan(0);
      expect(other.filter(isGate).length).toBeGreaterThan(0);

      await env.worker.stop(AbortSignal.timeout(1000)); // marks it stopped in the registry
      from = other.length;
      id = await scheduleAt(env.url, planId, new Date(Date.now() + 2000));
      await monitorWs(env.url, id).done;
      expect(other.slice(from).filter(isPromote).length).toBeGreaterThan(0);
    } finally {
      await second.stop(AbortSignal.timeout(1000));
    }
  });
});
