import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { graphql } from "./__generated__/gql.ts";
import type { TaskInput } from "./__generated__/graphql.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { expectGapFree, monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan } from "./operations.ts";
import { claimRuns } from "../src/store/claim.ts";
import { promoteDue, reclaimExpired } from "../src/store/timers.ts";

// Values PostgreSQL cannot store (NUL; unpaired surrogates in jsonb) reach the engine from handlers: they
// are stored with U+FFFD in their place (src/infra/storable.ts) instead of failing the run's end. And one
// item a sweep cannot process never holds up the rest of its batch (src/store/sweep.ts).

const Details = graphql(`
  query UnstorableDetails($id: ID!) {
    execution(id: $id) {
      status
      error { code message context }
      tasks { key status output state metrics attempts { attempt status error { code } } }
      messages(first: 50) { edges { node { level message context taskKey } } }
      timeline(first: 50) { edges { node { type taskKey message } } }
    }
  }
`);

const R = "\uFFFD";
const HANDLERS = "test/fixtures/unstorable-handlers.ts";

async function plan(url: string, tasks: TaskInput[]): Promise<string> {
  const { createPlan } = await query(url, CreatePlan, { input: { name: "unstorable", tasks } });
  if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
  return createPlan.id;
}
const details = async (url: string, id: string) => (await query(url, Details, { id })).execution!;

/** Answers /text with a raw NUL byte in a text body and /json with JSON holding \u0000 escapes, as a remote server may. */
async function dirtyServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    if (req.url === "/json") return void res.writeHead(200, { "content-type": "application/json" }).end('{"k\\u0000":"v\\u0000","lone":"\\ud800"}');
    res.writeHead(200, { "content-type": "text/plain" }).end(Buffer.from("raw\u0000body", "utf8"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.each(modes())("values PostgreSQL cannot store ($mode)", ({ embedded }) => {
  let env: InProcess;
  let http: { server: Server; base: string };
  beforeAll(async () => {
    http = await dirtyServer();
    env = await startInProcess({ embedded, handlerModules: HANDLERS });
  });
  afterAll(async () => {
    await env?.stop();
    http?.server.close();
  });

  it("outputs, http bodies, log lines and contexts, metrics and state with NUL or unpaired surrogates are stored with U+FFFD; the run completes at once", async () => {
    const id = await schedule(env.url, await plan(env.url, [
      { key: "text", handler: "http", input: { url: `${http.base}/text` } },
      { key: "json", handler: "http", input: { url: `${http.base}/json` } },
      { key: "dirty", handler: "dirty" },
    ]));
    const live = monitorWs(env.url, id);
    await live.done;
    expectGapFree(live.received);
    const exec = await details(env.url, id);
    expect(exec.status).toBe("COMPLETED");
    const task = (key: string) => exec.tasks.find((t) => t.key === key)!;
    for (const t of exec.tasks) expect(t.attempts).toEqual([{ attempt: 1, status: "COMPLETED", error: null }]); // no lease ran out
    expect(task("text").output).toEqual({ status: 200, body: `raw${R}body` });
    expect(task("json").output).toEqual({ status: 200, body: { [`k${R}`]: `v${R}`, lone: R } });
    expect(task("dirty")).toMatchObject({ output: { [`out${R}`]: `body${R}`, lone: R, pair: "😀" }, state: { [`s${R}`]: R }, metrics: { [`m${R}`]: 1 } });
    const messages = exec.messages.edges.map((e) => e.node).filter((m) => m.taskKey === "dirty");
    expect(messages).toEqual([
      { level: "INFO", message: `line${R}end`, context: { [`key${R}`]: `value${R}`, lone: R }, taskKey: "dirty" },
      { level: "INFO", message: `a${"😀".repeat(999)}${R}`, context: null, taskKey: "dirty" },
    ]);
    // What was streamed live is what was stored: a late subscriber replays the same updates.
    const replay = monitorWs(env.url, id, 0);
    await replay.done;
    expect(replay.received).toEqual(live.received);
  });

  it("a failure whose message and context hold NUL is recorded as such, with U+FFFD", async () => {
    const id = await schedule(env.url, await plan(env.url, [{ key: "f", handler: "dirtyFail" }]));
    await monitorWs(env.url, id).done;
    const exec = await details(env.url, id);
    expect(exec).toMatchObject({ status: "FAILED", error: { code: "E_DIRTY", message: `bad${R}thing`, context: { [`ctx${R}`]: R } } });
    expect(exec.tasks[0]!.attempts).toEqual([{ attempt: 1, status: "FAILED", error: { code: "E_DIRTY" } }]);
    expect(exec.timeline.edges.map((e) => e.node.message)).toContain(`task f failed (attempt 1): bad${R}thing`);
  });
});

describe.each(modes())("a sweep batch with one item it cannot process ($mode)", ({ embedded }) => {
  let env: InProcess;
  let logged = "";
  const errors = () => logged.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 50);
  beforeAll(async () => {
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    env = await startInProcess({ embedded, startWorker: false, logDestination: sink });
  });
  afterAll(async () => env?.stop());

  it("reclaimExpired: the other expired runs are reclaimed; the one whose stored retry policy is corrupt is logged with its id", async () => {
    const planId = await plan(env.url, [{ key: "t", handler: "noop" }]);
    const poisoned = decodeGlobalID(await schedule(env.url, planId)).id;
    const healthy = decodeGlobalID(await schedule(env.url, planId)).id;
    const { sql } = env.services.db;
    // A worker that claims both and vanishes; the first one's row holds a retry policy this version rejects.
    const now = new Date();
    const { runs } = await claimRuns(sql, { workerId: "ghost", limit: 2, leaseMs: 100, agingStepMs: 60_000, clock: () => now });
    const runOf = (executionId: string) => runs.find((r) => r.executionId === executionId)!;
    await sql.query(`UPDATE "TaskRun" SET "retryPolicy" = '{"strategy":"SOMETIMES"}', "leaseExpiresAt" = $2 WHERE id = $1`, [runOf(poisoned).id, new Date(now.getTime() + 50)]);
    const updates = await reclaimExpired(sql, new Date(now.getTime() + 1000), () => 0.5, env.services.log);
    expect(updates.filter((u) => u.event.type === "TASK_FAILED").map((u) => u.event.executionId)).toEqual([healthy]);
    expect(errors()).toEqual([expect.objectContaining({ sweep: "reclaim expired leases", item: runOf(poisoned).id, err: expect.stringContaining('unknown strategy "SOMETIMES"') })]);
    const [bad, good] = await Promise.all([poisoned, healthy].map((id) => sql.query<{ status: string }>(`SELECT status FROM "TaskRun" WHERE "executionId" = $1`, [id])));
    expect(bad).toEqual([{ status: "RUNNING" }]); // untouched: tried again next round
    expect(good![0]!.status).not.toBe("RUNNING");
  });

  it("promoteDue (one transaction per batch): the failed item's writes roll back alone, the others are promoted", async () => {
    logged = "";
    const planId = await plan(env.url, [{ key: "t", handler: "noop" }]);
    const runAt = (ms: number) => new Date(Date.now() + ms).toISOString();
    const scheduleAt = async (at: string) => {
      const { scheduleExecution: s } = await query(env.url, graphql(`mutation UnstorableSchedule($input: ScheduleExecutionInput!) { scheduleExecution(input: $input) { __typename ... on Execution { id } } }`), { input: { planId, runAt: at } });
      if (s.__typename !== "Execution") throw new Error(s.__typename);
      return decodeGlobalID(s.id).id;
    };
    const poisoned = await scheduleAt(runAt(60_000));
    const healthy = await scheduleAt(runAt(60_001));
    const { sql } = env.services.db;
    // The database refuses this execution's next event, as a constraint would.
    await sql.query(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for this test'; END $$`);
    await sql.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON "ExecutionEvent" FOR EACH ROW WHEN (NEW."executionId" = '${poisoned}') EXECUTE FUNCTION refuse_event()`);
    try {
      const updates = await promoteDue(sql, new Date(Date.now() + 120_000), env.services.log);
      expect(updates.map((u) => [u.event.executionId, u.event.type])).toEqual([[healthy, "EXECUTION_QUEUED"]]);
      expect(errors()).toEqual([expect.objectContaining({ sweep: "promote due executions", item: poisoned, err: expect.stringContaining("refused for this test") })]);
      const rows = await sql.query<{ id: string; status: string; lastSeq: number; readyAt: Date | null }>(
        `SELECT e.id, e.status, e."lastSeq", t."readyAt" FROM "Execution" e JOIN "TaskRun" t ON t."executionId" = e.id WHERE e.id = ANY($1::uuid[])`,
        [[poisoned, healthy]],
      );
      const row = (id: string) => rows.find((r) => r.id === id)!;
      expect(row(healthy)).toMatchObject({ status: "PENDING", lastSeq: 2 });
      // Nothing half-written: its readyAt, set before the refused insert, was rolled back with it.
      expect(row(poisoned)).toMatchObject({ status: "SCHEDULED", lastSeq: 1 });
      expect(row(poisoned).readyAt!.getTime()).toBeLessThan(row(healthy).readyAt!.getTime());
    } finally {
      await sql.query(`DROP TRIGGER refuse_event ON "ExecutionEvent"`);
      await sql.query(`DROP FUNCTION refuse_event()`);
    }
  });
});
