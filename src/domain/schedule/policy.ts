// What a schedule does at its due times: misfires (the engine was down), overlaps (the previous
// execution still runs), the daily cap and the consecutive-failure safety. Pure decisions; the sweep
// in store/scheduler.ts applies them.

export type MisfirePolicy = "SKIP" | "RUN_ONCE" | "RUN_ALL";
export type OverlapPolicy = "ALLOW" | "SKIP" | "QUEUE" | "CANCEL_PREVIOUS";

/** RUN_ALL catches up at most this many missed due times (the latest ones). */
export const MAX_CATCH_UP = 100;
/** A schedule is misfiring when its first due time is further behind than this. */
export const DEFAULT_MISFIRE_GRACE_MS = 60_000;

/**
 * Which of the due times (oldest first, all ≤ now) fire. On time (the first one at most `graceMs`
 * behind): all of them. Behind by more: SKIP none, RUN_ONCE the latest, RUN_ALL all (bounded).
 */
export function misfireDecision(policy: MisfirePolicy, due: readonly Date[], now: Date, graceMs = DEFAULT_MISFIRE_GRACE_MS): Date[] {
  if (due.length === 0) return [];
  const late = now.getTime() - due[0]!.getTime() > graceMs;
  if (!late) return due.slice(-MAX_CATCH_UP);
  if (policy === "SKIP") return [];
  if (policy === "RUN_ONCE") return [due.at(-1)!];
  return due.slice(-MAX_CATCH_UP);
}

export type OverlapAction =
  | { action: "START" }
  | { action: "SKIP"; previous: string }
  | { action: "QUEUE"; after: string }
  | { action: "CANCEL_PREVIOUS"; previous: string };

/** `previous`: the schedule's newest execution that has not ended, if any. */
export function overlapDecision(policy: OverlapPolicy, previous: string | null): OverlapAction {
  if (!previous || policy === "ALLOW") return { action: "START" };
  if (policy === "SKIP") return { action: "SKIP", previous };
  if (policy === "QUEUE") return { action: "QUEUE", after: previous };
  return { action: "CANCEL_PREVIOUS", previous };
}

/** The daily cap counts executions started by the schedule in the 24 hours before now (a rolling window). */
export const DAILY_CAP_WINDOW_MS = 24 * 3_600_000;

/** Whether one more execution fits under `max` (null: no cap) given `startedInWindow` already. */
export const underDailyCap = (max: number | null | undefined, startedInWindow: number): boolean => max == null || startedInWindow < max;

/** The reason to disable the schedule, or null to keep it. */
export function failureSafety(consecutiveFailures: number, maxConsecutiveFailures: number): string | null {
  return consecutiveFailures >= maxConsecutiveFailures
    ? `disabled after ${consecutiveFailures} consecutive failed executions (maxConsecutiveFailures ${maxConsecutiveFailures})`
    : null;
}
