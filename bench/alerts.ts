// npm run bench:alerts — samples/s evaluated against 1,000 alert rules.
//  1. pure: the state machine with the rule index by metric name (cost ∝ matching rules), against the
//     baseline of a linear scan over all rules, on the same samples;
//  2. through reportMetrics on PostgreSQL (rows locked, state written, alerts inserted), 1,000 rules vs 1 rule.
// Writes bench/results/alerts.json.
import { mkdir, writeFile } from "node:fs/promises";
import { freshDatabase } from "./db.ts";
import { RuleIndex, initialScopeState, matches, scopeKey, stepAlert, type AlertRuleSpec, type ScopeState } from "../src/domain/alerts/rules.ts";
import { connectPostgres } from "../src/infra/db.ts";
import { createLogger } from "../src/infra/logger.ts";
import { createMemoryBus } from "../src/infra/pubsub.ts";
import { HandlerRegistry } from "../src/engine/handlers/registry.ts";
import { reportMetrics } from "../src/services/metrics.ts";
import type { Services } from "../src/services/context.ts";

const RULES = 1000;
const METRICS = 100; // 10 rules per metric
const SAMPLES = 200_000;
const DB_BATCHES = Number(process.env.BENCH_ALERT_BATCHES ?? 200);
const BATCH = 50;

const OPS = ["GT", "GTE", "LT", "LTE"] as const;
const makeRules = (n: number): AlertRuleSpec[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    metric: `m${i % METRICS}`,
    operator: OPS[i % OPS.length]!,
    threshold: 50,
    durationMs: (i % 3) * 100,
    resolveThreshold: null,
    executionId: null,
    planId: null,
    labels: i % 5 === 0 ? { host: `h${i % 4}` } : null,
  }));

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const t0 = Date.now() - 3_600_000;
const samples = Array.from({ length: SAMPLES }, (_, i) => ({
  metric: `m${Math.floor(random() * METRICS)}`,
  value: random() * 100,
  timestamp: new Date(t0 + i),
  labels: { host: `h${Math.floor(random() * 4)}` },
  executionId: null,
  planId: null,
}));

function evaluate(candidates: (s: (typeof samples)[number]) => readonly AlertRuleSpec[]): { perSecond: number; transitions: number } {
  const states = new Map<string, ScopeState>();
  let transitions = 0;
  const start = performance.now();
  for (const s of samples) {
    for (const rule of candidates(s)) {
      const key = `${rule.id}/${scopeKey(s)}`;
      const step = stepAlert(rule, states.get(key) ?? initialScopeState(), s);
      let next = step.state;
      if (step.transition) {
        transitions += 1;
        if (step.transition.kind === "fire") next = { ...next, firingAlertId: `a${transitions}` };
      }
      states.set(key, next);
    }
  }
  return { perSecond: Math.round(SAMPLES / ((performance.now() - start) / 1000)), transitions };
}

const rules = makeRules(RULES);
const index = new RuleIndex(rules);
evaluate((s) => index.match(s)); // warm-up
const indexed = evaluate((s) => index.match(s));
const linear = evaluate((s) => rules.filter((r) => matches(r, s)));
/** Matching alone (no state machine): what the index saves. */
function matchOnly(candidates: (s: (typeof samples)[number]) => readonly AlertRuleSpec[]): number {
  let n = 0;
  const start = performance.now();
  for (const s of samples) n += candidates(s).length;
  if (n === 0) throw new Error("no match");
  return Math.round(SAMPLES / ((performance.now() - start) / 1000));
}
const matching = { indexed: matchOnly((s) => index.match(s)), linearScan: matchOnly((s) => rules.filter((r) => matches(r, s))) };
console.log(`matching only: indexed ${matching.indexed.toLocaleString()} samples/s; linear scan ${matching.linearScan.toLocaleString()} samples/s (×${(matching.indexed / matching.linearScan).toFixed(1)})`);
if (indexed.transitions !== linear.transitions) throw new Error(`index and linear scan disagree: ${indexed.transitions} vs ${linear.transitions}`);
console.log(`pure, ${RULES} rules on ${METRICS} metrics: indexed ${indexed.perSecond.toLocaleString()} samples/s; linear scan ${linear.perSecond.toLocaleString()} samples/s (×${(indexed.perSecond / linear.perSecond).toFixed(1)}); ${indexed.transitions} transitions`);

async function throughDb(ruleCount: number): Promise<{ rules: number; samplesPerSecond: number; alerts: number }> {
  const url = await freshDatabase(`bench_alerts_${ruleCount}`);
  const log = createLogger("warn", "bench");
  const db = connectPostgres({ url, log });
  const services: Services = { db, bus: createMemoryBus(), log, handlers: new HandlerRegistry(), clock: () => new Date() };
  await db.prisma.alertRule.createMany({
    data: makeRules(ruleCount).map((r) => ({ metric: r.metric, operator: r.operator, threshold: r.threshold, durationMs: r.durationMs, labels: r.labels ?? undefined })),
  });
  const base = Date.now() - 600_000;
  const start = performance.now();
  for (let b = 0; b < DB_BATCHES; b++)
    await reportMetrics(services, samples.slice(b * BATCH, (b + 1) * BATCH).map((s, i) => ({ metric: s.metric, value: s.value, labels: s.labels, timestamp: new Date(base + b * BATCH + i) })));
  const seconds = (performance.now() - start) / 1000;
  const alerts = await db.prisma.alert.count();
  await db.close();
  return { rules: ruleCount, samplesPerSecond: Math.round((DB_BATCHES * BATCH) / seconds), alerts };
}

const db = [await throughDb(RULES), await throughDb(1)];
for (const r of db) console.log(`reportMetrics on PostgreSQL, ${r.rules} rule(s), batches of ${BATCH}: ${r.samplesPerSecond.toLocaleString()} samples/s (${r.alerts} alerts)`);

await mkdir("bench/results", { recursive: true });
await writeFile(
  "bench/results/alerts.json",
  `${JSON.stringify({ rules: RULES, metrics: METRICS, samples: SAMPLES, pure: { indexed, linearScan: linear, matching, speedup: Math.round((indexed.perSecond / linear.perSecond) * 10) / 10 }, postgres: { batch: BATCH, batches: DB_BATCHES, results: db } }, null, 2)}\n`,
);
console.log("wrote bench/results/alerts.json");
process.exit(0);
