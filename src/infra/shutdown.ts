import type { Logger } from "./logger.ts";

/** Something a process closes on SIGTERM: the API, the worker, the database and bus. */
export interface Closable {
  name: string;
  /** Stops gracefully; once `deadline` aborts (the grace period is over) closes what is left at once. */
  stop(deadline: AbortSignal): Promise<void>;
  /** What is still open, each named for the log (a run, a connection); empty when nothing is. */
  open?(): string[];
}

/** After the grace period, how long closing what is left may take before the process exits anyway. */
export const CLOSE_MS = 2000;

/**
 * Stops `stages` one after the other (the parts of a stage side by side) within `graceMs`. Then, if
 * anything is still open, it is logged by name, told to close at once, and given `closeMs`; whatever is
 * still open after that is logged again and abandoned. Resolves to the exit code: 0 when everything
 * stopped within the grace period, else 1. Never waits longer than graceMs + closeMs.
 */
export async function shutdown(log: Logger, graceMs: number, stages: readonly (readonly Closable[])[], closeMs = CLOSE_MS): Promise<number> {
  const deadline = new AbortController();
  const stopping = new Set<Closable>();
  let failed = false;
  const run = async () => {
    for (const stage of stages)
      await Promise.all(
        stage.map(async (part) => {
          stopping.add(part);
          try {
            await part.stop(deadline.signal);
          } catch (err) {
            failed = true;
            log.error({ err: (err as Error).message, part: part.name }, "shutdown step failed");
          } finally {
            stopping.delete(part);
          }
        }),
      );
  };
  // A part that is stopping but names nothing open is itself what is open.
  const open = () =>
    [...stopping].flatMap((p) => {
      const items = p.open?.() ?? [];
      return items.length > 0 ? items : [p.name];
    });
  const done = run().then(() => true);
  if (await within(done, graceMs)) return failed ? 1 : 0;
  log.warn({ open: open(), graceMs }, `shutdown: the grace period (${graceMs} ms) is over; closing what is still open`);
  deadline.abort();
  if (!(await within(done, closeMs))) log.error({ open: open(), closeMs }, `shutdown: still open ${closeMs} ms after closing; exiting anyway`);
  return 1;
}

/** Whether `p` settles within ms. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
