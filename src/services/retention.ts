import { RETENTION_LOCK, deleteEndedExecutions } from "../store/retention.ts";
import { tryXactLock } from "../store/advisory.ts";
import { pruneEndedScopes } from "../store/alert-scopes.ts";
import { publishAlerts } from "./alerts.ts";
import type { Services } from "./context.ts";

// The retention sweep (README "Retention"): one worker at a time (advisory lock), in bounded batches,
// deletes executions that ended more than EXECUTION_RETENTION_MS ago (off when unset), and prunes the
// alert-rule scopes of ended executions (always: they would otherwise grow by one per execution).

/** An execution's alert scope outlives its end by this much: run-end samples still arrive just after it. */
export const SCOPE_GRACE_MS = 60_000;
/** Rules whose scopes one round prunes at most. */
const SCOPE_RULES_PER_ROUND = 50;

export interface RetentionOptions {
  /** Executions that ended longer ago than this are deleted; null: never. */
  retentionMs: number | null;
  /** Executions deleted per round at most (one transaction). */
  batch: number;
}

export interface RetentionResult {
  deleted: string[];
  prunedScopes: number;
}

/** One round, if no other worker runs one right now (null otherwise). */
export async function retentionRound(services: Services, now: Date, opts: RetentionOptions): Promise<RetentionResult | null> {
  const result = await services.db.sql.tx(async (c) => {
    if (!(await tryXactLock(c, RETENTION_LOCK))) return null;
    const deleted = opts.retentionMs === null ? [] : await deleteEndedExecutions(c, new Date(now.getTime() - opts.retentionMs), opts.batch);
    const scopes = await pruneEndedScopes(c, { endedBefore: new Date(now.getTime() - SCOPE_GRACE_MS), now, limit: SCOPE_RULES_PER_ROUND, log: services.log });
    return { deleted, scopes };
  });
  if (!result) return null;
  await publishAlerts(services, result.scopes.outcome);
  if (result.deleted.length) services.log.info({ deleted: result.deleted.length }, "retention: ended executions deleted");
  return { deleted: result.deleted, prunedScopes: result.scopes.pruned };
}

/**
 * The worker's side: at most one round in flight, off the claim path, every `everyMs`, and at once again
 * after a full batch (a backlog drains batch by batch, each round its own transaction).
 */
export class RetentionSweeper {
  private lastRound = 0;
  private backlog = false;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly services: Services,
    private readonly opts: RetentionOptions & { everyMs?: number },
  ) {}

  /** Starts a round when one is due and none is running; never throws, never waits for it. */
  maybeRun(): void {
    const now = this.services.clock();
    if (this.inFlight || (!this.backlog && now.getTime() - this.lastRound < (this.opts.everyMs ?? 60_000))) return;
    this.lastRound = now.getTime();
    this.inFlight = retentionRound(this.services, now, this.opts)
      .then((r) => void (this.backlog = !!r && r.deleted.length >= this.opts.batch))
      .catch((err: Error) => void (this.backlog = false, this.services.log.warn({ err: err.message }, "retention round failed; retried later")))
      .finally(() => (this.inFlight = null));
  }

  /** Resolves once no round is running (before the worker stops). */
  async idle(): Promise<void> {
    await this.inFlight;
  }
}
