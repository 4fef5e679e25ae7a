/** Webhook delivery of alerts: attempts and exponential backoff (1 s, 2 s, 4 s, 8 s between 5 attempts). */
export const ALERT_DELIVERY = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  /** Per attempt. */
  timeoutMs: 5000,
  /** Of the response body kept in an attempt's error. */
  maxErrorChars: 500,
  /** A claimed attempt is retried after this long if its worker died mid-POST. */
  leaseMs: 30_000,
} as const;

/** Delay before attempt n+1 after attempt n failed, or null when n was the last attempt. */
export function retryDelayMs(attempt: number, policy: { maxAttempts: number; baseDelayMs: number } = ALERT_DELIVERY): number | null {
  if (attempt >= policy.maxAttempts) return null;
  return policy.baseDelayMs * 2 ** (attempt - 1);
}
