import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "../../domain/errors.ts";
import { builtinHandlers, createBuiltinHandlers, createFlaky, fail, http, noop, sleep } from "./builtins.ts";
import { defineHandler, defineHooks, HandlerError, isHandler, type Handler, type HandlerContext, type HookContext } from "./define.ts";
import { HandlerRegistry } from "./registry.ts";
import { testContext } from "./test-context.ts";

const ctx = (signal: AbortSignal = new AbortController().signal): HandlerContext => testContext({ signal });

/** Parses raw input with the handler's schema (defaults applied) and runs it. */
const run = <I>(h: { input: { parse(v: unknown): I }; run(i: I, c: HandlerContext): Promise<unknown> }, input: unknown, c = ctx()) =>
  h.run(h.input.parse(input), c);

describe("sleep", () => {
  it("resolves after the delay with the slept time", async () => {
    const t0 = Date.now();
    await expect(run(sleep, { ms: 30 })).resolves.toEqual({ sleptMs: 30 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    const ac = new AbortController();
    const reason = new Error("stop");
    const t0 = Date.now();
    setTimeout(() => ac.abort(reason), 20);
    await expect(run(sleep, { ms: 60_000 }, ctx(ac.signal))).rejects.toBe(reason);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("fail", () => {
  it("throws a HandlerError with the given code and message", async () => {
    await expect(run(fail, { message: "nope", code: "E_NOPE" })).rejects.toSatisfy(
      (e) => e instanceof HandlerError && e.code === "E_NOPE" && e.message === "nope" && !e.recoverable,
    );
  });

  it.each([undefined, null, {}])("falls back to code FAILED for input %j", async (input) => {
    await expect(run(fail, input)).rejects.toMatchObject({ name: "HandlerError", code: "FAILED", message: "task failed on purpose" });
  });
});

describe("noop", () => {
  it("echoes its input", async () => {
    await expect(run(noop, { a: 1 })).resolves.toEqual({ echo: { a: 1 } });
    await expect(run(noop, undefined)).resolves.toEqual({ echo: null });
  });
});

describe("flaky", () => {
  const seq = (...values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length]!;
  };

  it("fails with a recoverable FLAKY error when the draw is below failRate, else succeeds", async () => {
    const h = createFlaky(seq(0.29, 0.3, 0.99));
    await expect(run(h, { failRate: 0.3 })).rejects.toSatisfy((e) => e instanceof HandlerError && e.code === "FLAKY" && e.recoverable);
    await expect(run(h, { failRate: 0.3 })).resolves.toEqual({ ok: true, attempt: 1 });
    await expect(run(h, { failRate: 0.3 })).resolves.toEqual({ ok: true, attempt: 1 });
  });

  it("never fails at failRate 0, always at 1; defaults to 0.5 for a missing input", async () => {
    const h = createFlaky(seq(0, 0.5, 0.999));
    for (let i = 0; i < 3; i++) await expect(run(h, { failRate: 0 })).resolves.toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) await expect(run(h, { failRate: 1 })).rejects.toMatchObject({ code: "FLAKY" });
    expect(h.input.parse(null)).toEqual({ failRate: 0.5 });
    await expect(run(createFlaky(() => 0.49), null)).rejects.toMatchObject({ code: "FLAKY" });
    await expect(run(createFlaky(() => 0.5), undefined)).resolves.toMatchObject({ ok: true });
  });

  it("rejects a failRate outside [0, 1] and unknown keys", () => {
    expect(() => createFlaky().input.parse({ failRate: 1.5 })).toThrow();
    expect(() => createFlaky().input.parse({ failRate: -0.1 })).toThrow();
    expect(() => createFlaky().input.parse({ failRate: 0.1, x: 1 })).toThrow();
  });

  it("is a built-in; createBuiltinHandlers injects the random source", async () => {
    expect(builtinHandlers.map((h) => h.name)).toEqual(["noop", "sleep", "fail", "http", "flaky"]);
    const injected = new HandlerRegistry(createBuiltinHandlers(() => 0.99) as Handler<never>[]).get("flaky")!;
    await expect(injected.run({ failRate: 0.98 }, ctx())).resolves.toMatchObject({ ok: true });
  });
});

describe("defineHandler", () => {
  it("defaults the input schema to any value and accepts a synchronous run", async () => {
    const h = defineHandler("sync", { run: (input) => ({ got: input }) });
    expect(isHandler(h)).toBe(true);
    expect(h.input.parse({ any: ["thing"] })).toEqual({ any: ["thing"] });
    await expect(h.run(42, ctx())).resolves.toEqual({ got: 42 });
  });

  it("turns a synchronous throw into a rejection", async () => {
    const h = defineHandler("throws", {
      run: () => {
        throw new HandlerError("no", "NO");
      },
    });
    await expect(h.run(null, ctx())).rejects.toMatchObject({ code: "NO" });
  });

  it("rejects an invalid name or a missing run", () => {
    expect(() => defineHandler("", { run: async () => null })).toThrow(/invalid handler name/);
    expect(() => defineHandler("has space", { run: async () => null })).toThrow(/invalid handler name/);
    expect(() => defineHandler("x", {} as never)).toThrow('handler "x" needs a run(input, ctx) function');
    expect(isHandler({ name: "x", input: null, run: async () => null })).toBe(false);
  });
});

describe("HandlerRegistry.runHooks", () => {
  const execCtx: Omit<HookContext, "signal"> = { execution: { id: "e1", planId: "p1", params: { a: 1 }, status: "RUNNING" }, log: () => {} };

  it("runs every hook of the kind, in order, with the context and a signal", async () => {
    const calls: string[] = [];
    const registry = new HandlerRegistry(builtinHandlers as Handler<never>[], [
      defineHooks({ onExecutionStart: (c) => void calls.push(`a:${c.execution.id}:${c.signal.aborted}`) }),
      defineHooks({ onExecutionEnd: () => void calls.push("end") }),
      defineHooks({
        async onExecutionStart(c) {
          calls.push(`b:${JSON.stringify(c.execution.params)}`);
        },
      }),
    ]);
    await expect(registry.runHooks("onExecutionStart", execCtx)).resolves.toEqual([]);
    expect(calls).toEqual(["a:e1:false", 'b:{"a":1}']);
  });

  it("captures thrown and rejected errors, naming the hook, and still runs the others", async () => {
    const ran: string[] = [];
    const registry = new HandlerRegistry([], [
      defineHooks({
        name: "sync-thrower",
        onExecutionEnd() {
          throw new Error("sync boom");
        },
      }),
      defineHooks({ onExecutionEnd: async () => Promise.reject(new Error("async boom")) }),
      defineHooks({ onExecutionEnd: () => void ran.push("third") }),
    ]);
    const errors = await registry.runHooks("onExecutionEnd", { ...execCtx, execution: { ...execCtx.execution, status: "FAILED" } });
    expect(errors.map((e) => e.message)).toEqual(["onExecutionEnd hook sync-thrower failed: sync boom", "onExecutionEnd hook #2 failed: async boom"]);
    expect(ran).toEqual(["third"]);
  });

  it("stops waiting for a hook at the timeout and aborts its signal", async () => {
    let signal: AbortSignal | undefined;
    const registry = new HandlerRegistry([], [
      defineHooks({
        name: "slow",
        onExecutionStart(c) {
          signal = c.signal;
          return new Promise(() => {}); // never settles
        },
      }),
    ]);
    const t0 = Date.now();
    const errors = await registry.runHooks("onExecutionStart", execCtx, 30);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(errors.map((e) => e.message)).toEqual(["onExecutionStart hook slow timed out after 30 ms"]);
    expect(signal?.aborted).toBe(true);
  });

  it("does nothing without hooks", async () => {
    await expect(new HandlerRegistry().runHooks("onExecutionEnd", execCtx)).resolves.toEqual([]);
  });

  it("rejects a hook that is not a function", () => {
    expect(() => defineHooks({ onExecutionStart: "nope" as never })).toThrow("onExecutionStart must be a function");
  });
});

describe("http", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const url = req.url ?? "/";
        if (url === "/json") return res.writeHead(200, { "content-type": "application/json" }).end('{"hello":"world","n":[1,2]}');
        if (url === "/text") return res.writeHead(200, { "content-type": "text/plain" }).end("plain");
        if (url === "/echo")
          return res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ method: req.method, type: req.headers["content-type"], body }));
        if (url === "/status/503") return res.writeHead(503).end("down");
        if (url === "/status/404") return res.writeHead(404).end("missing");
        if (url === "/big") return res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(300 * 1024));
        if (url === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 5_000);
        res.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("GETs and parses a JSON body", async () => {
    await expect(run(http, { url: `${base}/json` })).resolves.toEqual({ status: 200, body: { hello: "world", n: [1, 2] } });
  });

  it("returns a non-JSON body as text", async () => {
    await expect(run(http, { url: `${base}/text` })).resolves.toEqual({ status: 200, body: "plain" });
  });

  it("sends an object body as JSON", async () => {
    await expect(run(http, { method: "POST", url: `${base}/echo`, body: { x: 1 } })).resolves.toEqual({
      status: 201,
      body: { method: "POST", type: "application/json", body: '{"x":1}' },
    });
  });

  it("fails with HTTP_STATUS on a non-2xx answer, recoverable only for 5xx", async () => {
    await expect(run(http, { url: `${base}/status/503` })).rejects.toMatchObject({ code: "HTTP_STATUS", recoverable: true, context: { status: 503 } });
    await expect(run(http, { url: `${base}/status/404` })).rejects.toMatchObject({ code: "HTTP_STATUS", recoverable: false, context: { status: 404 } });
  });

  it("checks expectStatus instead of 2xx when given", async () => {
    const err = await run(http, { url: `${base}/json`, expectStatus: [204] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HandlerError);
    expect(err).toMatchObject({ code: "HTTP_STATUS", message: `GET ${base} answered 200` });
    await expect(run(http, { url: `${base}/status/404`, expectStatus: [404] })).resolves.toEqual({ status: 404, body: "missing" });
  });

  it("aborts at its own timeoutMs", async () => {
    const t0 = Date.now();
    await expect(run(http, { url: `${base}/slow`, timeoutMs: 50 })).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("aborts when the context signal aborts", async () => {
    const ac = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => ac.abort(reason), 30);
    await expect(run(http, { url: `${base}/slow` }, ctx(ac.signal))).rejects.toBe(reason);
  });

  it("refuses a body over 256 KiB", async () => {
    await expect(run(http, { url: `${base}/big` })).rejects.toMatchObject({ name: "HandlerError", code: "HTTP_BODY_TOO_LARGE" });
  });
});

describe("HandlerRegistry.parseInput", () => {
  const registry = new HandlerRegistry();
  const fieldOf = (name: string, input: unknown, field = "tasks[0].input") => {
    try {
      registry.parseInput(name, input, field);
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).field;
    }
    throw new Error("input was accepted");
  };

  it("names the nested field that failed", () => {
    expect(fieldOf("sleep", { ms: "1" })).toBe("tasks[0].input.ms");
    expect(fieldOf("sleep", { ms: -1 }, "tasks[4].input")).toBe("tasks[4].input.ms");
    expect(fieldOf("http", { url: "ftp://example.com" })).toBe("tasks[0].input.url");
    expect(fieldOf("http", { url: "http://example.com", headers: { a: 1 } })).toBe("tasks[0].input.headers.a");
  });

  it("writes array indexes in brackets, like tasks[i].dependsOn[j]", () => {
    expect(fieldOf("http", { url: "http://example.com", expectStatus: [200, 99] })).toBe("tasks[0].input.expectStatus[1]");
  });

  it("names the input itself for a wrong type or an unknown key", () => {
    expect(fieldOf("sleep", null)).toBe("tasks[0].input");
    expect(() => registry.parseInput("sleep", { ms: 1, extra: true }, "tasks[0].input")).toThrow(/tasks\[0\]\.input: .*"extra"/);
  });

  it("returns the parsed input with defaults applied", () => {
    expect(registry.parseInput("http", { url: "http://example.com" }, "f")).toEqual({ method: "GET", url: "http://example.com", timeoutMs: 30_000 });
    expect(registry.parseInput("fail", null, "f")).toEqual({ message: "task failed on purpose", code: "FAILED" });
  });

  it("rejects an unknown handler", () => {
    expect(() => registry.parseInput("nope", {}, "tasks[2].input")).toThrow(new ValidationError("tasks[2].input", 'no handler named "nope"'));
  });

  it("refuses to register a handler name twice", () => {
    expect(() => new HandlerRegistry([noop, noop] as Handler<never>[])).toThrow('handler "noop" is registered twice');
  });
});
