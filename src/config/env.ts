import { z } from "zod";

// Parsed once at boot; durations carry their unit in the name.
const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Listen address. Loopback without API keys is open; any other address needs keys (or AUTH_DISABLED=true). */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Explicitly run without authentication, whatever HOST is. */
  AUTH_DISABLED: z.stringbool().default(false),
  /** An ADMIN API key to accept (stored hashed at start, never logged); at least 32 characters. */
  BOOTSTRAP_ADMIN_KEY: z.string().min(32, "must be at least 32 characters").max(512).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATA_DIR: z.string().min(1).default("./data"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** LISTEN for ready work (default). false: idle workers find work by polling only (the bench:latency baseline). */
  WAKE_ON_NOTIFY: z.stringbool().default(true),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  MONITOR_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(256),
  MONITOR_IDLE_BACKFILL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** A READY task's priority rises one level per this much waiting, so IDLE work is never starved. */
  AGING_STEP_MS: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
  /** Comma-separated module paths or globs (`*` in the file name) of user handler modules. */
  HANDLER_MODULES: z.string().default(""),
  /** How often (one worker at a time) execution_duration_ms and the system metrics are sampled. */
  METRIC_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  /** Metric samples older than this are deleted (in bounded batches, on the tick). */
  METRIC_RETENTION_MS: z.coerce.number().int().min(60_000).max(90 * 86_400_000).default(86_400_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Limits on what one client may ask of an API process (src/graphql/limits.ts, src/api/limits.ts).
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(1_000_000).default(5000),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  /** graphql-armor's cost: each object 1, each scalar 1, `first`/`last` multiplies its subtree (a variable one as 100, none as 20). */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(100_000_000).default(50_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(10_000).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(10_000).default(50),
  /** Unset: on only in open mode (no API keys); true/false forces it. */
  GRAPHQL_INTROSPECTION: z.stringbool().optional(),
  /** "Did you mean …?" in validation errors. Unset: on only in open mode (no API keys). */
  GRAPHQL_FIELD_SUGGESTIONS: z.stringbool().optional(),
  /** Largest POST /graphql body; a larger one is answered 413 without being read. */
  GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Token bucket per API key (or client IP without one), per API process: refill rate and size. 0 turns it off. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(50),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** graphql-ws: operations at once on one connection, and the largest message. */
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(100),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  /** Comma-separated browser origins allowed cross-site (CORS, WebSocket upgrades); unset: same origin only. */
  CORS_ORIGINS: z.string().optional(),
}).refine((c) => !!c.DATABASE_URL === !!c.REDIS_URL, {
  // A shared PostgreSQL with a process-local bus would silently cut api and worker processes apart.
  path: ["REDIS_URL"],
  message: "set DATABASE_URL and REDIS_URL together (separate api/worker processes), or neither (embedded PGlite + in-process bus)",
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // Empty strings (e.g. `DATABASE_URL=` in a compose file) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`invalid configuration\n  ${lines.join("\n  ")}`);
  }
  return parsed.data;
}
