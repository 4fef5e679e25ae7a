// An alert as the Alert table holds it and the `alertTriggered` topic carries it (infra/pubsub.ts).

export type AlertSeverity = "INFO" | "WARNING" | "CRITICAL";
export type AlertState = "FIRING" | "RESOLVED";

/** An alert as published on the `alertTriggered` topic (the Alert row). */
export interface AlertMessage {
  id: string;
  ruleId: string;
  executionId: string | null;
  planId: string | null;
  state: AlertState;
  value: number;
  message: string;
  severity: AlertSeverity;
  triggeredAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
}

export const encodeAlert = (a: AlertMessage): string => JSON.stringify(a);
export function decodeAlert(raw: string): AlertMessage {
  const a = JSON.parse(raw) as AlertMessage & Record<string, unknown>;
  if (typeof a?.id !== "string") throw new Error("not an alert");
  const date = (v: unknown) => (typeof v === "string" ? new Date(v) : null);
  return { ...a, triggeredAt: date(a.triggeredAt)!, resolvedAt: date(a.resolvedAt), acknowledgedAt: date(a.acknowledgedAt) };
}
