import { effectiveRank, priorityRank } from "../aging.ts";
import { PRIORITIES, type Priority } from "../status.ts";
import type { ResourceRequirement } from "./requirements.ts";

/** The best (most urgent) of these priorities; null when none is given. */
export function bestPriority(priorities: readonly (Priority | null | undefined)[]): Priority | null {
  const ranks = priorities.filter((p): p is Priority => p != null).map(priorityRank);
  return ranks.length ? PRIORITIES[Math.min(...ranks)]! : null;
}

/**
 * Where a request stands in the allocation order: the best of the holder's priority and its
 * requirements' own priorities, aged by how long it has waited (domain/aging). The claim orders runs by
 * the same rule in SQL (least(priority, resourcePriority)).
 */
export function requestRank(holder: { priority: Priority }, requirements: readonly ResourceRequirement[], since: Date | null, now: Date, agingStepMs: number): number {
  return effectiveRank(bestPriority([holder.priority, ...requirements.map((r) => r.priority)])!, since ?? now, now, agingStepMs);
}
