import type { SqlClient } from "../infra/sql.ts";

// The worker registry: one "Worker" row per worker process, for operators (the `workers` query) and to
// pick the sweeps' leader (store/due.ts). It is not used for correctness: leases decide who owns a run.

export interface WorkerIdentity {
  id: string;
  hostname: string;
  pid: number;
  concurrency: number;
}

/** Rows whose heartbeat is older than this are dropped when a worker starts: the table stays small. */
export const WORKER_ROW_RETENTION_MS = 24 * 3_600_000;

/** At start: drop long-dead rows and insert this worker's row (one statement). */
export async function registerWorker(c: SqlClient, worker: WorkerIdentity, now: Date): Promise<void> {
  await c.query(
    `WITH pruned AS (DELETE FROM "Worker" WHERE "lastHeartbeatAt" < $6 AND id <> $1)
     INSERT INTO "Worker" (id, hostname, pid, concurrency, running, "startedAt", "lastHeartbeatAt", "stoppedAt")
     VALUES ($1, $2, $3, $4, 0, $5, $5, NULL)
     ON CONFLICT (id) DO UPDATE SET hostname = $2, pid = $3, concurrency = $4, running = 0, "startedAt" = $5, "lastHeartbeatAt" = $5, "stoppedAt" = NULL`,
    [worker.id, worker.hostname, worker.pid, worker.concurrency, now, new Date(now.getTime() - WORKER_ROW_RETENTION_MS)],
  );
}

/**
 * Each heartbeat: the time and the number of runs in progress. An upsert, so a row pruned or lost
 * meanwhile (a worker cut off from the database for a day) comes back.
 */
export async function workerHeartbeat(c: SqlClient, worker: WorkerIdentity, running: number, now: Date): Promise<void> {
  await c.query(
    `INSERT INTO "Worker" (id, hostname, pid, concurrency, running, "startedAt", "lastHeartbeatAt")
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (id) DO UPDATE SET running = $5, "lastHeartbeatAt" = $6`,
    [worker.id, worker.hostname, worker.pid, worker.concurrency, running, now],
  );
}

/** On graceful stop. A worker that dies instead just stops heartbeating. */
export async function unregisterWorker(c: SqlClient, workerId: string, now: Date): Promise<void> {
  await c.query(`UPDATE "Worker" SET running = 0, "lastHeartbeatAt" = $2, "stoppedAt" = $2 WHERE id = $1`, [workerId, now]);
}
