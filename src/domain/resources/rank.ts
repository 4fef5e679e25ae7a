import { effectiveRank, priorityRank } from "../aging.ts";
import { PRIORITIES, type Priority } from "../status.ts";
import type { ResourceRequirement } from "./requirements.ts";

/**
 * Where a request stands in the allocation order: the best of the holder's priority and its
 * requirements' own priorities, aged by how long it has waited (domain/aging).
 */
export function requestRank(holder: { priority: Priority }, requirements: readonly ResourceRequirement[], since: Date | null, now: Date, agingStepMs: number): number {
  const best = Math.min(priorityRank(holder.priority), ...requirements.map((r) => (r.priority ? priorityRank(r.priority) : PRIORITIES.length)));
  return effectiveRank(PRIORITIES[best]!, since ?? now, now, agingStepMs);
}
