import type { SqlClient } from "../infra/sql.ts";

// Metric samples: stored many at a time, and what the worker reads to make a batch of run ends into
// samples (services/metric-streams.ts).

export interface SampleRow {
  metric: string;
  value: number;
  timestamp: Date;
  labels: Record<string, string> | null;
  executionId: string | null;
}

/** Any number of samples, one statement. */
export async function insertSamples(c: SqlClient, rows: readonly SampleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await c.query(
    `INSERT INTO "MetricSample" (id, metric, value, timestamp, labels, "executionId")
     SELECT gen_random_uuid(), r.metric, r.value, r.timestamp, r.labels, r."executionId"
       FROM jsonb_to_recordset($1::jsonb) AS r(metric text, value float8, timestamp timestamptz, labels jsonb, "executionId" uuid)`,
    [JSON.stringify(rows)],
  );
}

/** The newest stored sample's time of each of these metrics (null: none yet). */
export async function newestSampleTimes(c: SqlClient, metrics: readonly string[]): Promise<Map<string, Date | null>> {
  const newest = new Map<string, Date | null>();
  if (metrics.length)
    for (const row of await c.query<{ metric: string; at: Date | null }>(`SELECT m AS metric, (SELECT max(timestamp) FROM "MetricSample" WHERE metric = m) AS at FROM unnest($1::text[]) AS m`, [metrics]))
      newest.set(row.metric, row.at);
  return newest;
}

/** The metrics an enabled METRIC trigger or alert rule watches: samples of the others are only stored. */
export async function watchedMetrics(c: SqlClient): Promise<Set<string>> {
  const rows = await c.query<{ metric: string }>(
    `SELECT metric FROM "Trigger" WHERE kind = 'METRIC' AND enabled AND metric IS NOT NULL UNION SELECT metric FROM "AlertRule" WHERE enabled`,
  );
  return new Set(rows.map((r) => r.metric));
}

/** What a run's end leaves that no later change touches: when it became ready, its attempt's times, its execution's start and end. */
export interface RunEndTimes {
  readyAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  execStartedAt: Date | null;
  completedAt: Date | null;
}

/** RunEndTimes of a batch of ended runs (by run id; a run deleted meanwhile is absent), one statement. */
export async function runEndTimes(c: SqlClient, runs: readonly { id: string; attempt: number }[]): Promise<Map<string, RunEndTimes>> {
  if (runs.length === 0) return new Map();
  const rows = await c.query<RunEndTimes & { id: string }>(
    `SELECT t.id, t."readyAt", a."startedAt", a."finishedAt", e."startedAt" AS "execStartedAt", e."completedAt"
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, attempt int)
       JOIN "TaskRun" t ON t.id = r.id JOIN "Execution" e ON e.id = t."executionId"
       LEFT JOIN "TaskAttempt" a ON a."taskRunId" = t.id AND a.attempt = r.attempt`,
    [JSON.stringify(runs.map((r) => ({ id: r.id, attempt: r.attempt })))],
  );
  return new Map(rows.map(({ id, ...times }) => [id, times]));
}
