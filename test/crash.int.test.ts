import { hostname } from "node:os";
import pg from "pg";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { startApi, startWorker, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { schedule } from "./helpers/scenario.ts";
import { graphql } from "./__generated__/gql.ts";
import type { WorkersQuery } from "./__generated__/graphql.ts";
import { CreatePlan } from "./operations.ts";

// Fault test: real worker processes are killed with SIGKILL while executions run. Nothing may be lost
// or completed twice: every execution completes, every task run has exactly one accepted completion
// (its last attempt), every event history is gap-free and causally ordered, and `workers` tells the
// live workers from the dead.

const EXECUTIONS = 200;
const KILLS = 10;
const WORKERS = 3;
const CONCURRENCY = 8;
const LEASE_MS = 1000;
const WAVE = EXECUTIONS / KILLS;

/** a → (b, c) → d → e: short sleeps, and retries enough for a run caught by several kills. */
const TASKS = [
  { key: "a", handler: "sleep", input: { ms: 30 } },
  { key: "b", handler: "sleep", input: { ms: 45 }, dependsOn: ["a"] },
  { key: "c", handler: "sleep", input: { ms: 20 }, dependsOn: ["a"] },
  { key: "d", handler: "sleep", input: { ms: 50 }, dependsOn: ["b", "c"] },
  { key: "e", handler: "sleep", input: { ms: 25 }, dependsOn: ["d"] },
];

interface Live {
  proc: Proc;
  id: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T,>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

describe.skipIf(!infra().available)("worker crashes under load (SIGKILL)", () => {
  let env: Record<string, string>;
  let url: string;
  let db: pg.Client;
  const procs: Proc[] = [];
  const live: Live[] = [];

  const spawnWorker = async (): Promise<Live> => {
    const proc = await startWorker({ ...env, WORKER_CONCURRENCY: String(CONCURRENCY) });
    procs.push(proc);
    const line = await proc.waitFor((l) => l.msg === "worker started");
    const worker = { proc, id: line.worker as string };
    live.push(worker);
    return worker;
  };

  beforeAll(async () => {
    env = { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl, LEASE_MS: String(LEASE_MS), POLL_INTERVAL_MS: "200" };
    const [api] = await Promise.all([startApi(env), ...Array.from({ length: WORKERS }, spawnWorker)]);
    url = api.url;
    procs.push(api.proc);
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await Promise.all(procs.map((p) => p.stop()));
  });

  it(`completes ${EXECUTIONS} five-task executions exactly once while ${KILLS} workers are killed`, { timeout: 120_000 }, async () => {
    const { createPlan } = await query(url, CreatePlan, { input: { name: "crash", tasks: TASKS, retryPolicy: { strategy: "IMMEDIATE", maxRetries: 5 } } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);

    // Waves of executions, one kill per wave while its runs are in flight: every kill strands work.
    const executionIds: string[] = [];
    const victims: { id: string; stranded: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      const ids = await Promise.all(Array.from({ length: WAVE }, () => schedule(url, createPlan.id)));
      executionIds.push(...ids.map((id) => decodeGlobalID(id).id));
      await sleep(100 + Math.random() * 300);
      const { rows } = await db.query<{ owner: string }>(`SELECT DISTINCT "leaseOwner" AS owner FROM "TaskRun" WHERE status = 'RUNNING'`);
      const holders = live.filter((w) => rows.some((r) => r.owner === w.id));
      const victim = pick(holders.length ? holders : live);
      victim.proc.child.kill("SIGKILL");
      await victim.proc.stop();
      live.splice(live.indexOf(victim), 1);
      // Exited: nothing of it can change any more. These runs wait for their leases to expire.
      const [stranded] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "TaskRun" WHERE status = 'RUNNING' AND "leaseOwner" = $1`, [victim.id])).rows;
      victims.push({ id: victim.id, stranded: stranded!.n });
      await spawnWorker();
    }

    // Every execution completes.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await db.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM "Execution" GROUP BY status`);
      const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      if (counts.COMPLETED === EXECUTIONS) break;
      if (counts.FAILED || counts.CANCELLED || Date.now() > deadline) throw new Error(`executions not all completed: ${JSON.stringify(counts)}`);
      await sleep(250);
    }
    expect(victims.reduce((n, v) => n + v.stranded, 0)).toBeGreaterThan(0);

    // Exactly one accepted completion per task run, and it is the run's last attempt; every earlier attempt
    // was lost to a kill (LEASE_EXPIRED). Attempts are numbered 1..attempt without gaps.
    const { rows: runs } = await db.query<{ id: string; executionId: string; key: string; status: string; attempt: number; attempts: { attempt: number; status: string; code: string | null; worker: string }[] }>(
      `SELECT t.id, t."executionId", t.key, t.status::text, t.attempt,
              coalesce(json_agg(json_build_object('attempt', a.attempt, 'status', a.status, 'code', a.error->>'code', 'worker', a.worker) ORDER BY a.attempt)
                       FILTER (WHERE a.id IS NOT NULL), '[]') AS attempts
         FROM "TaskRun" t LEFT JOIN "TaskAttempt" a ON a."taskRunId" = t.id
        WHERE t."executionId" = ANY($1::uuid[]) GROUP BY t.id`,
      [executionIds],
    );
    expect(runs).toHaveLength(EXECUTIONS * TASKS.length);
    const bad = runs.filter((r) => {
      const completed = r.attempts.filter((a) => a.status === "COMPLETED");
      return (
        r.status !== "COMPLETED" ||
        completed.length !== 1 ||
        r.attempts.at(-1)!.status !== "COMPLETED" ||
        r.attempts.map((a) => a.attempt).join() !== Array.from({ length: r.attempt }, (_, i) => i + 1).join() ||
        r.attempts.slice(0, -1).some((a) => a.status !== "FAILED" || a.code !== "LEASE_EXPIRED")
      );
    });
    expect(bad).toEqual([]);
    // Each kill that stranded runs shows up as LEASE_EXPIRED attempts recorded for that worker.
    const expired = runs.flatMap((r) => r.attempts.filter((a) => a.code === "LEASE_EXPIRED"));
    for (const v of victims.filter((v) => v.stranded > 0)) expect(expired.filter((a) => a.worker === v.id).length, v.id).toBeGreaterThanOrEqual(v.stranded);

    // Every history: seq 1..lastSeq, scheduled first, completed once and last, and causally ordered.
    const { rows: events } = await db.query<{ executionId: string; seq: number; type: string; taskKey: string | null; attempt: number | null }>(
      `SELECT "executionId", seq, type::text, "taskKey", (data->>'attempt')::int AS attempt FROM "ExecutionEvent" WHERE "executionId" = ANY($1::uuid[]) ORDER BY "executionId", seq`,
      [executionIds],
    );
    const { rows: lastSeqs } = await db.query<{ id: string; lastSeq: number }>(`SELECT id, "lastSeq" FROM "Execution" WHERE id = ANY($1::uuid[])`, [executionIds]);
    const byExecution = groupBy(events, (e) => e.executionId);
    const runsByExecution = groupBy(runs, (r) => r.executionId);
    const problems: string[] = [];
    for (const { id, lastSeq } of lastSeqs) {
      const history = byExecution.get(id) ?? [];
      const say = (what: string) => problems.push(`${id}: ${what}`);
      if (history.map((e) => e.seq).join() !== Array.from({ length: lastSeq }, (_, i) => i + 1).join()) say(`seq ${history.map((e) => e.seq).join()} is not 1..${lastSeq}`);
      if (history[0]?.type !== "EXECUTION_SCHEDULED") say("does not start with EXECUTION_SCHEDULED");
      if (history.filter((e) => e.type === "EXECUTION_STARTED").length !== 1) say("EXECUTION_STARTED is not there exactly once");
      if (history.filter((e) => e.type === "EXECUTION_COMPLETED").length !== 1 || history.at(-1)?.type !== "EXECUTION_COMPLETED") say("EXECUTION_COMPLETED is not there exactly once, last");
      const index = (type: string, key: string) => history.findIndex((e) => e.type === type && e.taskKey === key);
      for (const task of TASKS) {
        const run = runsByExecution.get(id)!.find((r) => r.key === task.key)!;
        const starts = history.filter((e) => e.type === "TASK_STARTED" && e.taskKey === task.key);
        if (starts.map((e) => e.attempt).join() !== Array.from({ length: run.attempt }, (_, i) => i + 1).join()) say(`${task.key}: started attempts ${starts.map((e) => e.attempt).join()}, run has ${run.attempt}`);
        if (history.filter((e) => e.type === "TASK_COMPLETED" && e.taskKey === task.key).length !== 1) say(`${task.key}: TASK_COMPLETED not exactly once`);
        if (history.filter((e) => e.type === "TASK_FAILED" && e.taskKey === task.key).length !== run.attempt - 1) say(`${task.key}: TASK_FAILED count is not attempts - 1`);
        if (index("TASK_COMPLETED", task.key) < index("TASK_STARTED", task.key)) say(`${task.key}: completed before it started`);
        for (const dep of task.dependsOn ?? [])
          if (index("TASK_STARTED", task.key) < index("TASK_COMPLETED", dep)) say(`${task.key} started before its dependency ${dep} completed`);
      }
    }
    expect(problems).toEqual([]);

    // The registry: exactly the live workers are alive (a dead one stops being alive 3 × LEASE_MS after
    // its last heartbeat); the killed ones stay listed, not alive.
    const liveIds = () => live.map((w) => w.id).sort();
    let listed: WorkersQuery["workers"] = [];
    for (const until = Date.now() + 10_000; ; await sleep(200)) {
      listed = (await query(url, Workers, {})).workers;
      if (listed.filter((w) => w.alive).map((w) => w.id).sort().join() === liveIds().join() || Date.now() > until) break;
    }
    expect(listed.filter((w) => w.alive).map((w) => w.id).sort()).toEqual(liveIds());
    for (const w of live)
      expect(listed.find((l) => l.id === w.id)).toMatchObject({ hostname: hostname(), pid: w.proc.child.pid, concurrency: CONCURRENCY, running: 0, stoppedAt: null });
    for (const v of victims) expect(listed.find((l) => l.id === v.id)).toMatchObject({ alive: false, stoppedAt: null });
    const beats = listed.map((w) => Date.parse(w.lastHeartbeatAt));
    expect(beats).toEqual([...beats].sort((a, b) => b - a));

    // A graceful stop marks the row stopped: listed only with includeStopped.
    const leaving = live.pop()!;
    expect(await leaving.proc.stop()).toBe(0);
    const after = (await query(url, Workers, {})).workers;
    expect(after.map((w) => w.id)).not.toContain(leaving.id);
    const all = (await query(url, Workers, { includeStopped: true })).workers;
    const stopped = all.find((w) => w.id === leaving.id);
    expect(stopped).toMatchObject({ alive: false, running: 0 });
    expect(stopped?.stoppedAt).toBeTruthy();
  });
});

const Workers = graphql(`
  query Workers($includeStopped: Boolean) {
    workers(includeStopped: $includeStopped) { id hostname pid concurrency running startedAt lastHeartbeatAt stoppedAt alive }
  }
`);
