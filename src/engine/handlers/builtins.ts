import { z } from "zod";
import { abortableDelay, defineHandler, HandlerError } from "./define.ts";
import { createHttp, http } from "./http.ts";
import type { HttpPool } from "./http-pool.ts";

export { createHttp, http };

const MAX_SLEEP_MS = 24 * 60 * 60 * 1000;

export const noop = defineHandler("noop", {
  run: async (input) => ({ echo: input ?? null }),
});

export const sleep = defineHandler("sleep", {
  input: z.object({ ms: z.number().int().min(0).max(MAX_SLEEP_MS) }).strict(),
  async run({ ms }, ctx) {
    await abortableDelay(ms, ctx.signal);
    return { sleptMs: ms };
  },
});

export const fail = defineHandler("fail", {
  // A task without input is stored as JSON null: treat it like an absent input so the defaults apply.
  input: z.preprocess(
    (v) => v ?? undefined,
    z
      .object({ message: z.string().max(2000).default("task failed on purpose"), code: z.string().max(100).default("FAILED") })
      .strict()
      .default({ message: "task failed on purpose", code: "FAILED" }),
  ),
  async run({ message, code }) {
    throw new HandlerError(message, code);
  },
});

/** Fails with code FLAKY (recoverable) with probability failRate; `random` is injectable for tests. */
export function createFlaky(random: () => number = Math.random) {
  return defineHandler("flaky", {
    input: z.preprocess(
      (v) => v ?? undefined,
      z.object({ failRate: z.number().min(0).max(1).default(0.5) }).strict().default({ failRate: 0.5 }),
    ),
    async run({ failRate }, ctx) {
      if (random() < failRate) throw new HandlerError(`flaky failure (failRate ${failRate}, attempt ${ctx.attempt})`, "FLAKY", true, { failRate });
      return { ok: true, attempt: ctx.attempt };
    },
  });
}

export const flaky = createFlaky();

/**
 * The built-in handlers; `random` drives flaky (tests inject a deterministic one); `httpPool` gives http
 * its rate limiter and response cache (createHttpPool; without one, http has a cache but no rate limits).
 */
export const createBuiltinHandlers = (random: () => number = Math.random, httpPool?: HttpPool) => [noop, sleep, fail, httpPool ? createHttp(httpPool) : http, createFlaky(random)];

export const builtinHandlers = [noop, sleep, fail, http, flaky];
