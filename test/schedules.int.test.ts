import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./__generated__/gql.ts";
import type { CreateScheduleInput } from "./__generated__/graphql.ts";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { CreatePlan } from "./operations.ts";
import { openGate } from "./fixtures/gate-handlers.ts";

// Schedules through GraphQL against real workers: exactly-once firing with 3 worker processes, misfire
// after an outage, the overlap policies, auto-disable after failures, the daily cap, typed errors.

const Create = graphql(`
  mutation SchedulesCreate($input: CreateScheduleInput!) {
    createSchedule(input: $input) {
      __typename
      ... on Schedule { id nextRunAt enabled nextRuns(count: 3) }
      ... on Error { message }
      ... on ValidationError { field reason }
    }
  }
`);
const Get = graphql(`
  query SchedulesGet($id: ID!, $count: Int) {
    schedule(id: $id) {
      id enabled disabledReason consecutiveFailures nextRunAt lastRunAt nextRuns(count: $count)
      history(first: 100) { edges { node { id status dependsOn createdAt startedAt completedAt messages(first: 20) { edges { node { level message } } } } } }
    }
  }
`);
const SetEnabled = graphql(`
  mutation SchedulesSetEnabled($id: ID!, $enabled: Boolean!) {
    setScheduleEnabled(id: $id, enabled: $enabled) { __typename ... on Schedule { enabled nextRunAt disabledReason } }
  }
`);
const Trigger = graphql(`mutation SchedulesTrigger($id: ID!) { triggerSchedule(id: $id) { __typename ... on Execution { id status } ... on Error { message } } }`);
const Delete = graphql(`mutation SchedulesDelete($id: ID!) { deleteSchedule(id: $id) { __typename ... on Schedule { id } ... on NotFoundError { entity } } }`);
const Update = graphql(`
  mutation SchedulesUpdate($id: ID!, $input: UpdateScheduleInput!) {
    updateSchedule(id: $id, input: $input) { __typename ... on Schedule { cron timezone nextRunAt } ... on ValidationError { field reason } }
  }
`);

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function makePlan(url: string, handler: string, input?: unknown) {
  const { createPlan } = await query(url, CreatePlan, { input: { name: `sched-${handler}`, tasks: [{ key: "t", handler, input }] } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}
async function makeSchedule(url: string, input: CreateScheduleInput) {
  const { createSchedule } = await query(url, Create, { input });
  if (createSchedule.__typename !== "Schedule") throw new Error(JSON.stringify(createSchedule));
  return createSchedule;
}
const firings = async (db: { query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }> }, globalIdOrUuid: string) =>
  (await db.query(`SELECT "dueAt", outcome, "executionId" FROM "ScheduleFiring" WHERE "scheduleId" = $1 ORDER BY "dueAt"`, [uuidOf(globalIdOrUuid)])).rows as
    { dueAt: Date; outcome: string; executionId: string | null }[];
const uuidOf = (id: string) => Buffer.from(id, "base64").toString().split(":")[1]!;

describe.each(modes())("schedules (in-process worker) ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => {
    env = await startInProcess({ embedded, concurrency: 12, handlerModules: "test/fixtures/gate-handlers.ts" });
  });
  afterAll(async () => env?.stop());
  const sql = { query: (text: string, params: unknown[]) => env.services.db.sql.query(text, params).then((rows) => ({ rows })) };
  const get = async (id: string, count = 5) => (await query(env.url, Get, { id, count })).schedule!;

  it("rejects a bad cron and a bad time zone with typed errors quoting the problem; previews next runs", async () => {
    const planId = await makePlan(env.url, "noop");
    const bad = async (input: Partial<CreateScheduleInput>) => (await query(env.url, Create, { input: { planId, ...input } })).createSchedule;
    expect(await bad({ cron: "61 * * * *" })).toMatchObject({ __typename: "ValidationError", field: "cron", reason: expect.stringContaining('"61 * * * *" is invalid') });
    expect(await bad({ cron: "* * *" })).toMatchObject({ __typename: "ValidationError", field: "cron", reason: expect.stringContaining("3 fields") });
    expect(await bad({ cron: "0 * * * *", timezone: "Mars/Olympus" })).toMatchObject({ __typename: "ValidationError", field: "timezone", reason: expect.stringContaining("Mars/Olympus") });
    expect(await bad({ cron: "0 * * * *", intervalMs: 5000 })).toMatchObject({ __typename: "ValidationError", reason: expect.stringContaining("exactly one") });

    const s = await makeSchedule(env.url, { planId, cron: "30 2 * * *", timezone: "Europe/Paris" });
    expect(s.nextRuns).toHaveLength(3);
    const hm = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });
    for (const r of s.nextRuns) expect(hm.format(new Date(r as string))).toMatch(/^0[23]:30$/);
    expect(s.nextRuns[0]).toBe(s.nextRunAt);
    expect((await get(s.id, 1000)).nextRuns).toHaveLength(100);
    const updated = (await query(env.url, Update, { id: s.id, input: { timezone: "Nowhere/City" } })).updateSchedule;
    expect(updated).toMatchObject({ __typename: "ValidationError", field: "timezone" });
  });

  it("triggerSchedule runs it now; disabling clears nextRunAt; deleteSchedule removes it", async () => {
    const planId = await makePlan(env.url, "noop");
    const s = await makeSchedule(env.url, { planId, cron: "0 0 1 1 *", params: { from: "schedule" } });
    const { triggerSchedule } = await query(env.url, Trigger, { id: s.id });
    expect(triggerSchedule.__typename).toBe("Execution");
    const off = (await query(env.url, SetEnabled, { id: s.id, enabled: false })).setScheduleEnabled;
    expect(off).toMatchObject({ enabled: false, nextRunAt: null });
    expect((await get(s.id)).history.edges.map((e) => e.node.id)).toEqual([(triggerSchedule as { id: string }).id]);
    expect((await query(env.url, Delete, { id: s.id })).deleteSchedule.__typename).toBe("Schedule");
    expect((await query(env.url, Delete, { id: s.id })).deleteSchedule).toMatchObject({ __typename: "NotFoundError", entity: "Schedule" });
  });

  it("misfire after an outage: SKIP none, RUN_ONCE one catch-up, RUN_ALL every missed time", async () => {
    const planId = await makePlan(env.url, "noop");
    const ids: Record<string, string> = {};
    for (const misfirePolicy of ["SKIP", "RUN_ONCE", "RUN_ALL"] as const) ids[misfirePolicy] = (await makeSchedule(env.url, { planId, intervalMs: 60_000, misfirePolicy })).id;
    // The engine was down for 5.5 periods: nextRunAt lies 5.5 minutes back (due times at -5.5 … -0.5 min: 6 of them).
    const past = new Date(Date.now() - 5.5 * 60_000);
    await env.services.db.sql.query(`UPDATE "Schedule" SET "nextRunAt" = $1 WHERE id = ANY($2::uuid[])`, [past, Object.values(ids).map(uuidOf)]);
    await wait(1000);
    const count = async (id: string) => (await firings(sql, id)).filter((f) => f.outcome === "STARTED").length;
    expect(await count(ids.SKIP!)).toBe(0);
    expect(await count(ids.RUN_ONCE!)).toBe(1);
    expect(await count(ids.RUN_ALL!)).toBe(6);
    for (const id of Object.values(ids)) {
      const s = await get(id);
      expect(Date.parse(s.nextRunAt as string)).toBeGreaterThan(Date.now());
      expect((Date.parse(s.nextRunAt as string) - past.getTime()) % 60_000).toBe(0); // still on the interval grid
    }
    expect((await get(ids.RUN_ALL!)).history.edges).toHaveLength(6);
  });

  it("overlap policies while the previous execution still runs: ALLOW, SKIP, QUEUE, CANCEL_PREVIOUS", async () => {
    // Each execution runs until the gate opens: "still runs" holds however slow the machine is.
    const gate = `overlap-${embedded}`;
    const planId = await makePlan(env.url, "gate", { name: gate });
    const ids: Record<string, string> = {};
    for (const overlapPolicy of ["ALLOW", "SKIP", "QUEUE", "CANCEL_PREVIOUS"] as const)
      ids[overlapPolicy] = (await makeSchedule(env.url, { planId, intervalMs: 1000, overlapPolicy })).id;
    await wait(3300);
    for (const id of Object.values(ids)) await query(env.url, SetEnabled, { id, enabled: false });
    const history = async (id: string) => (await get(id)).history.edges.map((e) => e.node).reverse(); // oldest first
    const outcomes = async (id: string) => (await firings(sql, id)).map((f) => f.outcome);

    expect((await outcomes(ids.ALLOW!)).length).toBeGreaterThanOrEqual(3);
    expect(new Set(await outcomes(ids.ALLOW!))).toEqual(new Set(["STARTED"]));
    expect((await history(ids.ALLOW!)).filter((e) => e.status === "RUNNING").length).toBeGreaterThanOrEqual(2);

    const skip = await outcomes(ids.SKIP!);
    expect(skip[0]).toBe("STARTED");
    expect(skip.slice(1, 3)).toEqual(["SKIPPED_OVERLAP", "SKIPPED_OVERLAP"]);
    expect(await history(ids.SKIP!)).toHaveLength(skip.filter((o) => o === "STARTED").length);

    const queued = await history(ids.QUEUE!);
    expect(queued.length).toBeGreaterThanOrEqual(3);
    expect(await outcomes(ids.QUEUE!)).toEqual(["STARTED", ...Array(queued.length - 1).fill("QUEUED")]);
    queued.slice(1).forEach((e, i) => expect(e.dependsOn).toEqual([queued[i]!.id]));
    expect(queued[1]!.status).toBe("SCHEDULED");

    const cancelled = await history(ids.CANCEL_PREVIOUS!);
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    expect(cancelled.slice(0, -1).every((e) => e.status === "CANCELLED")).toBe(true);
    expect(cancelled.at(-1)!.status).toBe("RUNNING");
    openGate(gate);
  });

  it("disables itself after maxConsecutiveFailures failed executions, saying why", async () => {
    const planId = await makePlan(env.url, "fail");
    const s = await makeSchedule(env.url, { planId, intervalMs: 1000, maxConsecutiveFailures: 2 });
    let got = await get(s.id);
    for (let i = 0; i < 60 && got.enabled; i++) got = (await wait(100), await get(s.id));
    expect(got).toMatchObject({ enabled: false, consecutiveFailures: 2, nextRunAt: null });
    expect(got.disabledReason).toMatch(/disabled after 2 consecutive failed executions/);
    const history = got.history.edges.map((e) => e.node);
    expect(history.map((e) => e.status)).toEqual(["FAILED", "FAILED"]);
    expect(history[0]!.messages.edges.map((e) => e.node)).toContainEqual({ level: "ERROR", message: expect.stringContaining("disabled after 2 consecutive failed executions") });
    // Enabling again starts a fresh streak.
    expect((await query(env.url, SetEnabled, { id: s.id, enabled: true })).setScheduleEnabled).toMatchObject({ enabled: true, disabledReason: null });
    await query(env.url, SetEnabled, { id: s.id, enabled: false });
  });

  it("maxExecutionsPerDay caps the executions of any 24 hours", async () => {
    const planId = await makePlan(env.url, "noop");
    const s = await makeSchedule(env.url, { planId, intervalMs: 1000, maxExecutionsPerDay: 2 });
    await wait(3600);
    await query(env.url, SetEnabled, { id: s.id, enabled: false });
    const outcomes = (await firings(sql, s.id)).map((f) => f.outcome);
    expect(outcomes.slice(0, 3)).toEqual(["STARTED", "STARTED", "SKIPPED_DAILY_CAP"]);
    expect(outcomes.filter((o) => o === "STARTED")).toHaveLength(2);
    expect((await get(s.id)).history.edges).toHaveLength(2);
  });
});

describe.skipIf(!infra().available)("schedules with 3 worker processes", () => {
  const procs: Proc[] = [];
  let db: pg.Client;
  let url: string;
  beforeAll(async () => {
    const env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, POLL_INTERVAL_MS: "200" };
    const api = await startApi(env);
    url = api.url;
    procs.push(api.proc, ...(await Promise.all([0, 1, 2].map(() => startWorker(env)))));
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await Promise.all(procs.map((p) => p.stop()));
  });

  it("an every-second cron fires exactly once per due time", async () => {
    const planId = await makePlan(url, "noop");
    const s = await makeSchedule(url, { planId, cron: "*/1 * * * * *" });
    await wait(4200);
    await query(url, SetEnabled, { id: s.id, enabled: false });
    const rows = await firings(db, s.id);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const due = rows.map((r) => r.dueAt.getTime());
    expect(new Set(due).size).toBe(due.length);
    due.slice(1).forEach((t, i) => expect(t - due[i]!).toBe(1000)); // no due time missed either
    expect(rows.every((r) => r.outcome === "STARTED" && r.executionId)).toBe(true);
    const { rows: execs } = await db.query(`SELECT id FROM "Execution" WHERE "scheduleId" = $1`, [uuidOf(s.id)]);
    expect(execs.map((e) => e.id).sort()).toEqual(rows.map((r) => r.executionId).sort());
  });
});
