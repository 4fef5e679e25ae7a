import { ValidationError } from "../errors.ts";

export const METRIC_LIMITS = {
  maxSamplesPerCall: 1000,
  /** Timestamps may be this far in the future (clock skew) ... */
  maxFutureMs: 5 * 60_000,
  /** ... and this far in the past. */
  maxAgeMs: 30 * 24 * 3_600_000,
  maxLabels: 20,
  maxLabelLength: 200,
} as const;

/** Dotted, Prometheus-like names: `EURUSD.price`, `cpu_usage`, `queue:depth`. */
export const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,199}$/;

export interface MetricSampleInput {
  metric: string;
  value: number;
  timestamp?: Date | null;
  labels?: unknown;
}

export interface ValidSample {
  metric: string;
  value: number;
  timestamp: Date;
  labels: Record<string, string> | null;
}

export function validateMetricName(field: string, metric: string): void {
  if (!METRIC_NAME.test(metric)) throw new ValidationError(field, `"${metric.slice(0, 80)}" is not a metric name (letters, digits, _ . : -; starting with a letter or _; at most 200 characters)`);
}

/** Validates a batch (errors name `samples[i].field`); a missing timestamp is `now`. */
export function validateSamples(samples: readonly MetricSampleInput[], now: Date): ValidSample[] {
  if (samples.length > METRIC_LIMITS.maxSamplesPerCall) throw new ValidationError("samples", `at most ${METRIC_LIMITS.maxSamplesPerCall} samples per call`);
  return samples.map((s, i) => {
    const field = (name: string) => `samples[${i}].${name}`;
    validateMetricName(field("metric"), s.metric);
    if (!Number.isFinite(s.value)) throw new ValidationError(field("value"), "must be a finite number");
    const timestamp = s.timestamp ?? now;
    const ms = timestamp.getTime();
    if (!Number.isFinite(ms) || ms > now.getTime() + METRIC_LIMITS.maxFutureMs || ms < now.getTime() - METRIC_LIMITS.maxAgeMs)
      throw new ValidationError(field("timestamp"), `must be within ${METRIC_LIMITS.maxAgeMs / 86_400_000} days before and ${METRIC_LIMITS.maxFutureMs / 60_000} minutes after now`);
    return { metric: s.metric, value: s.value, timestamp, labels: validateLabels(field("labels"), s.labels) };
  });
}

function validateLabels(field: string, labels: unknown): Record<string, string> | null {
  if (labels == null) return null;
  if (typeof labels !== "object" || Array.isArray(labels)) throw new ValidationError(field, "must be an object of string values");
  const entries = Object.entries(labels);
  if (entries.length > METRIC_LIMITS.maxLabels) throw new ValidationError(field, `at most ${METRIC_LIMITS.maxLabels} labels`);
  for (const [k, v] of entries)
    if (typeof v !== "string" || k.length > METRIC_LIMITS.maxLabelLength || v.length > METRIC_LIMITS.maxLabelLength)
      throw new ValidationError(field, `label "${k.slice(0, 80)}" must be a string of at most ${METRIC_LIMITS.maxLabelLength} characters`);
  return labels as Record<string, string>;
}
