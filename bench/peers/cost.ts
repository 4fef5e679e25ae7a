import { BASE, databaseUrl, sleep, withAdmin } from "../db.ts";
import { round } from "../stats.ts";
import { between, startWireCounter, type WireCounts } from "./wire.ts";

// (f) What one job costs the database: statements and transactions per single-task execution over a
// drain, counted on the wire between "worker up" and "all done", and PostgreSQL's own xact_commit delta
// of the database over the worker's whole life (start and stop included).

export interface CostResult {
  system: string;
  executions: number;
  statementsPerExecution: number;
  /** BEGIN/COMMIT/ROLLBACK/SAVEPOINT among them. */
  controlStatementsPerExecution: number;
  transactionsPerExecution: number;
  /** pg_stat_database xact_commit delta per execution (minus the bench's own queries); includes reading NOTIFYs. */
  xactCommitPerExecution: number;
  xactRollback: number;
  /** The most frequent statements, per execution. */
  topStatements: { perExecution: number; text: string }[];
}

export interface CostWindow {
  begin(): void;
  end(): void;
}

const xacts = (database: string) =>
  withAdmin(async (admin) => {
    const { rows: [r] } = await admin.query<{ commit: string; rollback: string }>(`SELECT xact_commit AS commit, xact_rollback AS rollback FROM pg_stat_database WHERE datname = $1`, [database]);
    return { commit: Number(r!.commit), rollback: Number(r!.rollback) };
  });

/**
 * `drain` starts one worker on `proxiedUrl` (the same database, through the counter), marks the window
 * and returns how many transactions the bench itself ran on the database meanwhile (to subtract).
 * Nothing else may use the database while it runs.
 */
export async function measureCost(system: string, database: string, executions: number, drain: (proxiedUrl: string, window: CostWindow) => Promise<number>): Promise<CostResult> {
  const base = new URL(BASE);
  const wire = await startWireCounter({ host: base.hostname, port: Number(base.port || 5432) });
  let from: WireCounts | undefined;
  let to: WireCounts | undefined;
  await sleep(500); // the setup's connections have closed and flushed their statistics
  const before = await xacts(database);
  const own = await drain(Object.assign(new URL(databaseUrl(database)), { hostname: "127.0.0.1", port: String(wire.port) }).toString(), {
    begin: () => void (from = wire.snapshot()),
    end: () => void (to = wire.snapshot()),
  });
  await wire.close();
  await sleep(1000); // backends flush their statistics as they exit
  const after = await xacts(database);
  if (!from || !to) throw new Error("cost window not marked");
  const w = between(from, to);
  const per = (x: number) => round(x / executions, 2);
  return {
    system,
    executions,
    statementsPerExecution: per(w.statements),
    controlStatementsPerExecution: per(w.control),
    transactionsPerExecution: per(w.transactions),
    xactCommitPerExecution: per(after.commit - before.commit - own),
    xactRollback: after.rollback - before.rollback,
    topStatements: [...w.texts].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([text, n]) => ({ perExecution: per(n), text })),
  };
}
