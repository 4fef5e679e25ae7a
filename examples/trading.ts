/**
 * A user handler module for the trading scenario: price → risk → order, on fake data (no market, no broker).
 * Run it with: HANDLER_MODULES=./examples/trading.ts npm start
 *
 * - price-check { symbol, failRate? }: a fake quote; fails now and then with the recoverable QUOTE_UNAVAILABLE
 *   when failRate > 0, so the task's retry policy shows.
 * - risk-check { maxNotional, qty? }: qty · price (price from the "price" dependency) must not exceed
 *   maxNotional, else the non-recoverable RISK_LIMIT.
 * - place-order { side, qty? }: a fake fill; reports progress and the metrics cost (the fee) and notional.
 * qty falls back to the execution's params.qty, so one plan serves any size.
 */
import { abortableDelay, defineHandler, defineHooks, HandlerError, z, type HandlerContext } from "../src/engine/handlers/define.ts";

const FEE_RATE = 0.0005; // 5 basis points of the notional

/** A stable fake price per symbol, 20.00–499.99. */
export function basePrice(symbol: string): number {
  return 20 + (fnv32(symbol) % 48_000) / 100;
}

/** basePrice moved by at most ±1%, changing once a minute: deterministic-ish. */
export function quote(symbol: string, now = Date.now()): number {
  const minute = Math.floor(now / 60_000);
  const wobble = (((minute * 7919 + symbol.length * 104729) % 201) - 100) / 10_000;
  return round2(basePrice(symbol) * (1 + wobble));
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The price from a direct dependency's output: the price task's, or one passed on (risk-check's). */
function priceFrom(ctx: HandlerContext): number {
  for (const key of ["price", "risk"]) {
    const out = ctx.dependencies[key] as { price?: unknown } | null | undefined;
    if (typeof out?.price === "number" && out.price > 0) return out.price;
  }
  throw new HandlerError(`no price among the dependencies (${Object.keys(ctx.dependencies).join(", ") || "none"}): depend on a "price" task`, "NO_PRICE");
}

function quantity(qty: number | undefined, ctx: HandlerContext): number {
  const fromParams = (ctx.execution.params as { qty?: unknown } | null)?.qty;
  const q = qty ?? fromParams;
  if (typeof q !== "number" || !Number.isInteger(q) || q <= 0)
    throw new HandlerError("qty must be a positive integer: set it in the task's input or the execution's params", "MISSING_QTY");
  return q;
}

export const priceCheck = defineHandler("price-check", {
  input: z.object({ symbol: z.string().regex(/^[A-Z][A-Z0-9.]{0,11}$/, "an upper-case ticker, e.g. ACME"), failRate: z.number().min(0).max(1).default(0) }).strict(),
  async run({ symbol, failRate }, ctx) {
    await abortableDelay(20 + (basePrice(symbol) % 40), ctx.signal); // the "exchange" answers in 20–60 ms
    if (failRate > 0 && Math.random() < failRate)
      throw new HandlerError(`quote for ${symbol} unavailable (attempt ${ctx.attempt})`, "QUOTE_UNAVAILABLE", true, { symbol });
    const price = quote(symbol);
    ctx.log("INFO", `${symbol} quoted at ${price.toFixed(2)} USD`, { symbol, price });
    return { symbol, price, currency: "USD", quotedAt: new Date().toISOString() };
  },
});

export const riskCheck = defineHandler("risk-check", {
  input: z.object({ maxNotional: z.number().positive(), qty: z.number().int().positive().optional() }).strict(),
  async run({ maxNotional, qty }, ctx) {
    const price = priceFrom(ctx);
    const q = quantity(qty, ctx);
    const notional = round2(q * price);
    if (notional > maxNotional)
      throw new HandlerError(`notional ${notional} exceeds the limit ${maxNotional}`, "RISK_LIMIT", false, { qty: q, price, notional, maxNotional });
    ctx.log("INFO", `risk ok: ${q} × ${price} = ${notional} ≤ ${maxNotional}`);
    return { approved: true, price, qty: q, notional, maxNotional };
  },
});

export const placeOrder = defineHandler("place-order", {
  input: z.object({ side: z.enum(["BUY", "SELL"]), qty: z.number().int().positive().optional() }).strict(),
  async run({ side, qty }, ctx) {
    const price = priceFrom(ctx);
    const q = quantity(qty, ctx);
    ctx.progress(0.1, "validating");
    // The id derives from the execution and task: a retried attempt sends the same client order id.
    const orderId = `ORD-${fnv32(`${ctx.execution.id}/${ctx.task.key}`).toString(16).toUpperCase().padStart(8, "0")}`;
    ctx.progress(0.4, "routing");
    if (ctx.paused) ctx.log("INFO", "pause requested: finishing this order first (never leave one half-placed)");
    await abortableDelay(50, ctx.signal);
    ctx.progress(0.8, "filling");
    await abortableDelay(30, ctx.signal);
    const notional = round2(q * price);
    const fee = round2(notional * FEE_RATE);
    ctx.metric("cost", fee);
    ctx.metric("notional", notional);
    ctx.progress(1, "filled");
    ctx.log("INFO", `${side} ${q} @ ${price} filled as ${orderId} (fee ${fee})`, { orderId, fee });
    return { orderId, status: "FILLED", side, qty: q, price, notional, fee };
  },
});

export const tradingHooks = defineHooks({
  name: "trading",
  onExecutionStart(ctx) {
    ctx.log("INFO", `trading execution ${ctx.execution.id} started (params ${JSON.stringify(ctx.execution.params)})`);
  },
  onExecutionEnd(ctx) {
    ctx.log(ctx.execution.status === "COMPLETED" ? "INFO" : "WARNING", `trading execution ${ctx.execution.id} ended: ${ctx.execution.status}`);
  },
});

/** FNV-1a, 32 bits. */
function fnv32(s: string): number {
  let h = 2166136261;
  for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}
