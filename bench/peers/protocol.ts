// What a peer worker process (gw-worker.ts, bullmq-worker.ts) and the bench tell each other.
// Jobs: "noop" (drains), "probe" { tag } (latency: its handler reports when it starts), "chain"
// { tag, index, length } (reports its start and adds the next link). The worker prints one line per fact
// on stdout, with its own clock (ms since the epoch; the bench runs on the same machine):
//   ready <ms>          it takes jobs
//   start <tag> <ms>    a tagged job's handler began
//   done <tag>          a tagged job's completion is stored
//   drained <ms>        BENCH_EXPECT jobs have completed (drains)

export interface Payload {
  tag?: string;
  index?: number;
  length?: number;
}

export type Fact = "ready" | "start" | "done" | "drained";

export const say = (fact: Fact, ...words: (string | number)[]) => process.stdout.write(`${[fact, ...words].join(" ")}\n`);

/** A handler's start, reported when the job is tagged; returns the next chain link to add, if any. */
export function begin(payload: Payload | null | undefined): Payload | null {
  if (!payload?.tag) return null;
  say("start", payload.tag, Date.now());
  const { index, length } = payload;
  return index !== undefined && length !== undefined && index + 1 < length ? { tag: `c${index + 1}`, index: index + 1, length } : null;
}

/** Counts completions; says "drained" at the BENCH_EXPECT-th (0: never). */
export function completions(expect = Number(process.env.BENCH_EXPECT ?? 0)) {
  let completed = 0;
  return (payload: Payload | null | undefined) => {
    if (payload?.tag) say("done", payload.tag);
    if (++completed === expect) say("drained", Date.now());
  };
}

export function parseFact(line: string): { fact: Fact; tag: string; at: number } | null {
  const [fact, a, b] = line.trim().split(" ");
  switch (fact) {
    case "ready":
    case "drained":
      return { fact, tag: "", at: Number(a) };
    case "start":
      return { fact, tag: a ?? "", at: Number(b) };
    case "done":
      return { fact, tag: a ?? "", at: NaN };
    default:
      return null;
  }
}

export const workerEnv = () => ({
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 8),
  pollIntervalMs: Number(process.env.POLL_INTERVAL_MS ?? 1000),
});
