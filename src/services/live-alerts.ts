import type { AlertMessage } from "../domain/alerts/message.ts";
import type { Services } from "./context.ts";

// The alertTriggered stream. A bus message only announces an alert: anyone who can publish on the Redis
// (or a deployment sharing it under the same namespace) could forge one. Each announced alert is read
// back from the Alert table and streamed as the table has it; an alert the table does not hold is dropped.

const ALERT_COLUMNS = { id: true, ruleId: true, executionId: true, planId: true, state: true, value: true, message: true, severity: true, triggeredAt: true, resolvedAt: true, acknowledgedAt: true } as const;

/** Per database: reads in flight by alert id, so the subscribers of one process share one read per alert. */
const inFlight = new WeakMap<object, Map<string, Promise<AlertMessage | null>>>();

/** The Alert row with this id as the database has it, or null when there is none. */
export function readAnnouncedAlert(services: Pick<Services, "db">, id: string): Promise<AlertMessage | null> {
  let reads = inFlight.get(services.db);
  if (!reads) inFlight.set(services.db, (reads = new Map()));
  let read = reads.get(id);
  if (!read) {
    read = services.db.prisma.alert.findUnique({ where: { id }, select: ALERT_COLUMNS }).finally(() => reads.delete(id));
    reads.set(id, read);
  }
  return read;
}

/**
 * Live alerts only (no backfill) under bus key `key`, as the database has them, in the order announced,
 * through a bounded buffer: a slow client loses the oldest announcements rather than growing memory.
 */
export function liveAlerts(services: Pick<Services, "bus" | "db" | "log">, capacity: number, key: string, keep: (a: AlertMessage) => boolean): AsyncIterableIterator<AlertMessage> {
  const announced: AlertMessage[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const unsubscribe = services.bus.subscribe("alertTriggered", key, (a) => {
    if (announced.length >= capacity) announced.shift();
    announced.push(a);
    wake?.();
  });
  /** The next announced alert that the table holds and the subscription wants, or null once done. */
  const nextVerified = async (): Promise<AlertMessage | null> => {
    for (;;) {
      while (!done && announced.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      if (done) return null;
      const { id } = announced.shift()!;
      const alert = await readAnnouncedAlert(services, id).catch((err: Error) => void services.log.warn({ err: err.message, alert: id }, "announced alert could not be read; not streamed"));
      if (!alert) services.log.warn({ alert: id }, "bus announced an alert the database does not hold; not streamed");
      else if (keep(alert)) return alert;
    }
  };
  const finish = async () => {
    done = true;
    wake?.();
    await (await unsubscribe)();
    return { done: true as const, value: undefined };
  };
  return {
    async next() {
      await unsubscribe;
      const alert = await nextVerified();
      return alert ? { done: false, value: alert } : { done: true, value: undefined };
    },
    return: finish,
    throw: async (err?: unknown) => {
      await finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
