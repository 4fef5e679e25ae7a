import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { DEFAULT_STATS_WINDOW_MS } from "../domain/stats.ts";
import type { Services } from "../services/context.ts";
import { engineGauges } from "../services/stats.ts";

/** A scrape reuses the engine gauges computed less than this long ago (and concurrent scrapes share one computation). */
export const METRICS_CACHE_MS = 1_000;

export interface Metrics {
  registry: Registry;
  /** The yoga plugin that counts and times GraphQL operations. */
  plugin: Plugin;
  /** Serves GET /metrics. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const operationType = (document: DocumentNode, operationName?: string | null) => getOperationAST(document, operationName ?? undefined)?.operation ?? "unknown";

/**
 * Prometheus metrics of one app, on its own registry (never prom-client's global one, so several apps in
 * one process do not clash). Engine gauges are computed at scrape time from the aggregate statements
 * of services/stats.ts (three statements, cached for METRICS_CACHE_MS); GraphQL counters and the
 * duration histogram are updated by the plugin, labelled by operation type only (bounded cardinality).
 */
export function createMetrics(services: Services, options: { leaseMs: number }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const executions = new Gauge({
    name: "engine_executions",
    help: `Executions by status: active ones of any age, finished ones completed in the last ${DEFAULT_STATS_WINDOW_MS / 60_000} minutes`,
    labelNames: ["status"] as const,
    registers,
  });
  const queueDepth = new Gauge({ name: "engine_queue_depth", help: "Task runs READY or RETRYING with their next attempt due", registers });
  const runningTasks = new Gauge({ name: "engine_running_tasks", help: "Task runs RUNNING", registers });
  const workers = new Gauge({ name: "engine_workers_alive", help: "Workers not stopped with a recent heartbeat", registers });
  const scrapeErrors = new Counter({ name: "engine_metrics_scrape_errors_total", help: "Scrapes whose engine gauges could not be computed", registers });
  const requests = new Counter({
    name: "graphql_requests_total",
    help: "GraphQL operations executed or subscribed, by operation type and outcome",
    labelNames: ["operation_type", "outcome"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "graphql_request_duration_seconds",
    help: "Execution time of GraphQL queries and mutations, by operation type",
    labelNames: ["operation_type"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const plugin: Plugin = {
    onExecute({ args }) {
      const type = operationType(args.document, args.operationName);
      const end = duration.startTimer({ operation_type: type });
      return {
        onExecuteDone({ result }) {
          end();
          const failed = "errors" in result && Array.isArray(result.errors) && result.errors.length > 0;
          requests.inc({ operation_type: type, outcome: failed ? "error" : "ok" });
        },
      };
    },
    onSubscribe({ args }) {
      const type = operationType(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          const failed = "errors" in result && Array.isArray(result.errors) && result.errors.length > 0;
          requests.inc({ operation_type: type, outcome: failed ? "error" : "ok" });
        },
        onSubscribeError() {
          requests.inc({ operation_type: type, outcome: "error" });
        },
      };
    },
  };

  let cached: { at: number; done: Promise<void> } | undefined;
  const refresh = (): Promise<void> => {
    const now = Date.now();
    if (cached && now - cached.at < METRICS_CACHE_MS) return cached.done;
    const done = engineGauges(services, { windowMs: DEFAULT_STATS_WINDOW_MS, leaseMs: options.leaseMs }).then((g) => {
      executions.reset();
      for (const s of g.executionsByStatus) executions.set({ status: s.status }, s.count);
      queueDepth.set(g.queueDepth);
      runningTasks.set(g.runningTasks);
      workers.set(g.workers);
    });
    cached = { at: now, done };
    done.catch(() => (cached = undefined));
    return done;
  };

  return {
    registry,
    plugin,
    async handle(req, res) {
      if (req.method !== "GET" && req.method !== "HEAD") return void res.writeHead(405, { allow: "GET, HEAD" }).end();
      try {
        await refresh();
      } catch (err) {
        // Serve the GraphQL metrics and the last gauges anyway; the failure is counted and logged.
        scrapeErrors.inc();
        services.log.warn(`/metrics: engine gauges unavailable: ${(err as Error).message}`);
      }
      const body = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType }).end(req.method === "HEAD" ? undefined : body);
    },
  };
}
