import { z } from "zod";
import { abortableDelay, defineHandler, HandlerError } from "./define.ts";

const MAX_SLEEP_MS = 24 * 60 * 60 * 1000;
const MAX_HTTP_BODY_BYTES = 256 * 1024;

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

export const http = defineHandler("http", {
  input: z
    .object({
      method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
      url: z.url({ protocol: /^https?$/ }),
      headers: z.record(z.string(), z.string().max(8192)).optional(),
      body: z.unknown().optional(),
      timeoutMs: z.number().int().min(1).max(300_000).default(30_000),
      expectStatus: z.array(z.number().int().min(100).max(599)).max(50).optional(),
    })
    .strict(),
  async run(input, ctx) {
    const body = input.body === undefined ? undefined : typeof input.body === "string" ? input.body : JSON.stringify(input.body);
    const response = await fetch(input.url, {
      method: input.method,
      headers: { ...(typeof input.body === "object" && input.body !== null ? { "content-type": "application/json" } : {}), ...input.headers },
      body,
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(input.timeoutMs)]),
    });
    const text = await readBounded(response);
    // Origin and path only: query strings and headers may carry credentials.
    const { origin, pathname } = new URL(input.url);
    ctx.log("INFO", `${input.method} ${origin}${pathname} answered ${response.status}`, { status: response.status, bytes: Buffer.byteLength(text) });
    const ok = input.expectStatus ? input.expectStatus.includes(response.status) : response.ok;
    if (!ok)
      throw new HandlerError(`${input.method} ${new URL(input.url).origin} answered ${response.status}`, "HTTP_STATUS", response.status >= 500, {
        status: response.status,
      });
    let parsed: unknown = text;
    if (response.headers.get("content-type")?.includes("json")) parsed = JSON.parse(text);
    return { status: response.status, body: parsed };
  },
});

// A hostile or huge response must not exhaust memory: stop reading past the bound.
async function readBounded(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HTTP_BODY_BYTES) {
      await reader.cancel();
      throw new HandlerError(`response body exceeds ${MAX_HTTP_BODY_BYTES} bytes`, "HTTP_BODY_TOO_LARGE");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

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

/** The built-in handlers; `random` drives flaky (tests inject a deterministic one). */
export const createBuiltinHandlers = (random: () => number = Math.random) => [noop, sleep, fail, http, createFlaky(random)];

export const builtinHandlers = [noop, sleep, fail, http, flaky];
