import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { basePrice, placeOrder, priceCheck, quote, riskCheck, tradingHooks } from "../../../examples/trading.ts";
import { HandlerError, type HandlerContext } from "./define.ts";
import { loadHandlerModules } from "./modules.ts";
import { testContext } from "./test-context.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Recorded {
  progress: [number, string | undefined][];
  metrics: Record<string, number>;
  logs: string[];
}

const ctx = (over: Partial<HandlerContext> = {}, rec: Recorded = { progress: [], metrics: {}, logs: [] }): HandlerContext =>
  testContext({
    execution: { id: "exec-1", planId: "plan-1", priority: "HIGH", params: { qty: 10 } },
    task: { key: "order", name: "order" },
    params: { qty: 10 },
    progress: (f, p) => void rec.progress.push([f, p]),
    metric: (n, v) => void (rec.metrics[n] = v),
    log: (_l, m) => void rec.logs.push(m),
    ...over,
  });

const run = <I>(h: { input: { parse(v: unknown): I }; run(i: I, c: HandlerContext): Promise<unknown> }, input: unknown, c: HandlerContext) => h.run(h.input.parse(input), c);

describe("examples/trading.ts", () => {
  it("is a loadable handler module: three handlers and the hooks", async () => {
    const { handlers, hooks } = await loadHandlerModules("./examples/trading.ts", root);
    expect(handlers.map((h) => h.name)).toEqual(["price-check", "risk-check", "place-order"]);
    expect(hooks.map((h) => h.name)).toEqual(["trading"]);
  });

  it("price-check quotes a stable price within 1% of the symbol's base price", async () => {
    const out = (await run(priceCheck, { symbol: "ACME" }, ctx())) as { symbol: string; price: number; currency: string };
    expect(out).toMatchObject({ symbol: "ACME", currency: "USD" });
    expect(Math.abs(out.price - basePrice("ACME")) / basePrice("ACME")).toBeLessThanOrEqual(0.0101);
    expect(quote("ACME", 0)).toBe(quote("ACME", 59_999));
    expect(basePrice("ACME")).not.toBe(basePrice("GLOBX"));
    expect(() => priceCheck.input.parse({ symbol: "acme" })).toThrow();
  });

  it("price-check fails recoverably with QUOTE_UNAVAILABLE at failRate 1", async () => {
    await expect(run(priceCheck, { symbol: "ACME", failRate: 1 }, ctx())).rejects.toSatisfy(
      (e) => e instanceof HandlerError && e.code === "QUOTE_UNAVAILABLE" && e.recoverable,
    );
  });

  it("risk-check approves within the limit and fails with RISK_LIMIT (not recoverable) above it", async () => {
    const deps = { dependencies: { price: { price: 100 } } };
    await expect(run(riskCheck, { maxNotional: 1000 }, ctx(deps))).resolves.toEqual({ approved: true, price: 100, qty: 10, notional: 1000, maxNotional: 1000 });
    await expect(run(riskCheck, { maxNotional: 999, qty: 10 }, ctx(deps))).rejects.toSatisfy(
      (e) => e instanceof HandlerError && e.code === "RISK_LIMIT" && !e.recoverable && e.message === "notional 1000 exceeds the limit 999",
    );
    await expect(run(riskCheck, { maxNotional: 1000, qty: 20 }, ctx(deps))).rejects.toMatchObject({ code: "RISK_LIMIT" });
  });

  it("risk-check needs a price dependency and a qty", async () => {
    await expect(run(riskCheck, { maxNotional: 1 }, ctx())).rejects.toMatchObject({ code: "NO_PRICE" });
    const noQty = { dependencies: { price: { price: 1 } }, execution: { id: "e", planId: "p", priority: "NORMAL" as const, params: null } };
    await expect(run(riskCheck, { maxNotional: 1 }, ctx(noQty))).rejects.toMatchObject({ code: "MISSING_QTY" });
  });

  it("place-order fills with a stable order id, reports progress and the fee as metric cost", async () => {
    const rec: Recorded = { progress: [], metrics: {}, logs: [] };
    const c = ctx({ dependencies: { risk: { approved: true, price: 123.45 } } }, rec);
    const out = await run(placeOrder, { side: "BUY", qty: 100 }, c);
    expect(out).toMatchObject({ status: "FILLED", side: "BUY", qty: 100, price: 123.45, notional: 12345, fee: 6.17 });
    expect((out as { orderId: string }).orderId).toMatch(/^ORD-[0-9A-F]{8}$/);
    await expect(run(placeOrder, { side: "BUY", qty: 100 }, ctx({ dependencies: { risk: { price: 123.45 } } }))).resolves.toMatchObject({
      orderId: (out as { orderId: string }).orderId,
    });
    expect(rec.metrics).toEqual({ cost: 6.17, notional: 12345 });
    expect(rec.progress.map(([f]) => f)).toEqual([0.1, 0.4, 0.8, 1]);
    expect(rec.progress.at(-1)).toEqual([1, "filled"]);
  });

  it("place-order stops when its signal aborts", async () => {
    const ac = new AbortController();
    const reason = new Error("cancelled");
    setTimeout(() => ac.abort(reason), 10);
    await expect(run(placeOrder, { side: "SELL" }, ctx({ signal: ac.signal, dependencies: { price: { price: 5 } } }))).rejects.toBe(reason);
  });

  it("the hooks log the start and the final status", async () => {
    const logs: [string, string][] = [];
    const base = { signal: new AbortController().signal, log: (l: string, m: string) => void logs.push([l, m]) };
    await tradingHooks.onExecutionStart!({ ...base, execution: { id: "e1", planId: "p", params: { qty: 5 }, status: "RUNNING" } });
    await tradingHooks.onExecutionEnd!({ ...base, execution: { id: "e1", planId: "p", params: null, status: "FAILED" } });
    expect(logs).toEqual([
      ["INFO", 'trading execution e1 started (params {"qty":5})'],
      ["WARNING", "trading execution e1 ended: FAILED"],
    ]);
  });
});
