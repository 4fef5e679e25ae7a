import type { SqlClient } from "../infra/sql.ts";

export interface SweepLog {
  error(obj: object, msg: string): void;
}

/**
 * One sweep batch, item by item: an item whose step throws (a row the step rejects, a value the database
 * refuses) is logged with its id and left for the next round; the other items go on. With `c` (the
 * batch shares one transaction), each item runs under a savepoint, so a failed item's writes roll back
 * alone and the transaction stays usable.
 */
export async function eachItem<T, R>(
  items: readonly T[],
  opts: { sweep: string; id: (item: T) => string; log: SweepLog; c?: SqlClient },
  step: (item: T) => Promise<readonly R[]>,
): Promise<R[]> {
  const { c } = opts;
  const out: R[] = [];
  for (const item of items) {
    try {
      await c?.query("SAVEPOINT sweep_item");
      const got = await step(item);
      await c?.query("RELEASE SAVEPOINT sweep_item");
      out.push(...got);
    } catch (err) {
      // If even this fails, the batch's transaction is gone: that one throws, for the whole sweep.
      if (c) {
        await c.query("ROLLBACK TO SAVEPOINT sweep_item");
        await c.query("RELEASE SAVEPOINT sweep_item");
      }
      opts.log.error({ err: (err as Error).message, sweep: opts.sweep, item: opts.id(item) }, "sweep item failed; the rest of its batch went on, and it is tried again next round");
    }
  }
  return out;
}
