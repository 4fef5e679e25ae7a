import { isTerminalExecution } from "../domain/status.ts";
import { DomainError, NotFoundError } from "../domain/errors.ts";
import type { Services } from "./context.ts";
import { retryTransient } from "../infra/db.ts";
import type { EventRow, ExecutionUpdate, MessageRow } from "../domain/updates.ts";

const BACKFILL_PAGE = 200;
/** A stream rides out this long of a database it cannot read (a restart) before it ends with the error. */
const DB_RETRY_MS = 30_000;

/** Stored updates after `afterSeq`, in seq order: the record that repairs every live-path loss. */
export async function readUpdates({ db }: Pick<Services, "db">, executionId: string, afterSeq: number, limit = BACKFILL_PAGE): Promise<ExecutionUpdate[]> {
  const events = (await db.prisma.executionEvent.findMany({
    where: { executionId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  })) as unknown as EventRow[]; // stats/data are JSON columns with known shapes
  if (events.length === 0) return [];
  const messages = (await db.prisma.executionMessage.findMany({
    where: { executionId, seq: { gt: afterSeq, lte: events[events.length - 1]!.seq } },
    orderBy: [{ seq: "asc" }, { timestamp: "asc" }, { id: "asc" }],
  })) as unknown as MessageRow[];
  return events.map((event) => ({ event, messages: messages.filter((m) => m.seq === event.seq) }));
}

/** A bounded FIFO that remembers that it overflowed instead of growing or throwing. */
class BoundedInbox<T> {
  private items: T[] = [];
  private waiter: (() => void) | null = null;
  overflowed = false;
  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length >= this.capacity) this.overflowed = true;
    else this.items.push(item);
    this.waiter?.();
  }

  /** Next item, or null after timeoutMs / on overflow / on abort; the caller then backfills. */
  async next(timeoutMs: number, signal?: AbortSignal): Promise<T | null> {
    if (this.items.length === 0 && !this.overflowed && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          this.waiter = null;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal?.addEventListener("abort", done, { once: true });
        this.waiter = done;
      });
    }
    if (this.overflowed) {
      this.items = [];
      this.overflowed = false;
      return null;
    }
    return this.items.shift() ?? null;
  }
}

export interface MonitorOptions {
  executionId: string;
  afterSeq: number;
  bufferSize: number;
  /** With no live update for this long, re-read the table (covers a silent bus outage). */
  idleBackfillMs: number;
  signal?: AbortSignal;
}

/**
 * Every update of one execution after `afterSeq`, in seq order, each exactly once, ending after the
 * latest update when it leaves the execution terminal. Subscribes to the bus first, then replays the table;
 * a gap, an overflow or a quiet spell sends it back to the table, so no bus loss is ever visible.
 */
export async function* monitorExecution(services: Pick<Services, "db" | "bus" | "log">, opts: MonitorOptions): AsyncGenerator<ExecutionUpdate> {
  const { db, bus, log } = services;
  const inbox = new BoundedInbox<ExecutionUpdate>(opts.bufferSize);
  // The bus does not wait out a Redis outage; should it fail, the stream still goes on from the table.
  const unsubscribe = await bus.subscribe("executionUpdate", opts.executionId, (u) => inbox.push(u)).catch((err: Error) => {
    log.warn({ err: err.message, executionId: opts.executionId }, "monitor has no live path; reading the table only");
    return async () => undefined;
  });
  // A read survives a database restart: failures other than domain errors are retried (200 ms doubling
  // to 2 s) for DB_RETRY_MS, unless the subscriber leaves.
  const read = <T>(fn: () => Promise<T>) =>
    retryTransient(fn, {
      forMs: DB_RETRY_MS,
      log,
      what: "read the execution's events",
      baseDelayMs: 200,
      retryable: (err) => !(err instanceof DomainError),
      signal: opts.signal,
      context: { executionId: opts.executionId },
    });
  try {
    const exec = await read(() => db.prisma.execution.findUnique({ where: { id: opts.executionId }, select: { status: true, lastSeq: true } }));
    if (!exec) throw new NotFoundError("Execution", opts.executionId);
    let last = opts.afterSeq;
    if (isTerminalExecution(exec.status) && exec.lastSeq <= last) return;
    let backfill = true;
    while (!opts.signal?.aborted) {
      if (backfill) {
        const page = await read(() => readUpdates(services, opts.executionId, last));
        for (const [i, u] of page.entries()) {
          yield u;
          last = u.event.seq;
          // Ended, unless more history follows (retryExecution reopens an ended execution).
          if (isTerminalExecution(u.event.status) && i === page.length - 1 && page.length < BACKFILL_PAGE) return;
        }
        backfill = page.length === BACKFILL_PAGE;
        if (backfill) continue;
      }
      const live = await inbox.next(opts.idleBackfillMs, opts.signal);
      if (live === null) backfill = true;
      else if (live.event.seq === last + 1) {
        yield live;
        last = live.event.seq;
        if (isTerminalExecution(live.event.status)) return;
      } else if (live.event.seq > last + 1) backfill = true; // a gap: the table has what the bus lost
      // seq <= last: already delivered by the backfill; drop the duplicate
    }
  } finally {
    await unsubscribe().catch(() => undefined);
  }
}
