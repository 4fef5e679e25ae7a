import { z } from "zod";
import { loadTrustedDocuments } from "./trusted-documents.ts";

// Parsed once at boot; durations carry their unit in the name.
const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every Redis channel. Unset: derived from the database's identity (src/infra/pubsub.ts). */
  BUS_NAMESPACE: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "1–64 letters, digits, '_', '.' or '-'").optional(),
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
  /** Stamps each ExecutionUpdate on its way to subscribers (src/infra/trace.ts; read by bench:monitor). Costs a little: off by default. */
  MONITOR_TRACE: z.stringbool().default(false),
  /** A READY task's priority rises one level per this much waiting, so IDLE work is never starved. */
  AGING_STEP_MS: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
  /** Comma-separated module paths or globs (`*` in the file name) of user handler modules. */
  HANDLER_MODULES: z.string().default(""),
  /** How often (one worker at a time) execution_duration_ms and the system metrics are sampled. */
  METRIC_TICK_MS: z.coerce.number().int().min(100).max(3_600_000).default(1000),
  /** Metric samples older than this are deleted (in bounded batches, on the tick). */
  METRIC_RETENTION_MS: z.coerce.number().int().min(60_000).max(90 * 86_400_000).default(86_400_000),
  /** Executions that ended (COMPLETED, FAILED, CANCELLED) longer ago than this are deleted with all their rows; unset: kept forever. */
  EXECUTION_RETENTION_MS: z.coerce.number().int().min(60_000).max(3650 * 86_400_000).optional(),
  /** Executions the retention sweep deletes per round (one transaction) at most. */
  RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Statements outside an open transaction's connection throw (src/infra/tx-guard.ts): on in tests; costs an AsyncLocalStorage. */
  TX_GUARD: z.stringbool().default(false),
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
  /** A stream ticket (POST /graphql/stream-ticket, for a browser's EventSource) is good for this long, once. */
  STREAM_TICKET_TTL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Automatic persisted queries (Apollo's PersistedQueryLink): documents kept per API process; 0 turns APQ off. */
  APQ_MAX_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  APQ_MAX_BYTES: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Path of a manifest (graphql-codegen's persisted-documents.json, or Apollo's): only its operations run. Read at boot. */
  TRUSTED_DOCUMENTS: z.string().optional().transform((path, ctx) => {
    if (path === undefined) return undefined;
    try {
      return loadTrustedDocuments(path);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  }),
}).refine((c) => !!c.DATABASE_URL === !!c.REDIS_URL, {
  // A shared PostgreSQL with a process-local bus would silently cut api and worker processes apart.
  path: ["REDIS_URL"],
  message: "set DATABASE_URL and REDIS_URL together (separate api/worker processes), or neither (embedded PGlite + in-process bus)",
});

export type Config = z.infer<typeof schema>;

/** One line per bad variable (`NAME: reason`), in `lines`. */
export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(readonly lines: readonly string[]) {
    super(`invalid configuration\n  ${lines.join("\n  ")}`);
  }
}

/** Which entry point reads the configuration: only `npm start` ("engine") may run embedded. */
export type Role = "engine" | "api" | "worker";

export function loadConfig(source: Record<string, string | undefined> = process.env, role: Role = "engine"): Config {
  // Empty strings (e.g. `DATABASE_URL=` in a compose file) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(cleaned);
  const lines = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  // A separate api or worker on its own PGlite directory would never meet the other half of the engine.
  if (role !== "engine" && cleaned.DATABASE_URL === undefined && cleaned.REDIS_URL === undefined)
    lines.push(`DATABASE_URL: npm run ${role} needs DATABASE_URL and REDIS_URL (only npm start runs embedded, on PGlite and an in-process bus)`);
  if (!parsed.success || lines.length > 0) throw new ConfigError(lines);
  return parsed.data;
}
