// What an allocation cost and how well it was used. Cost accrues per unit-second held; efficiency is
// the share of the held amount the holder reported using (the whole amount when it reported nothing).

export interface UsageInput {
  amount: number;
  amountUsed: number | null;
  costPerUnitSecond: number;
  allocatedAt: Date;
  releasedAt: Date | null;
}

export interface UsageTotals {
  /** Sum of the allocations' costs. */
  cost: number;
  /** Σ amount × ms held. */
  unitMs: number;
  /** Σ amount used × ms held. */
  usedUnitMs: number;
}

const heldMs = (a: UsageInput, now: Date) => Math.max(0, (a.releasedAt ?? now).getTime() - a.allocatedAt.getTime());

export const amountUsed = (a: Pick<UsageInput, "amount" | "amountUsed">): number => Math.min(a.amount, Math.max(0, a.amountUsed ?? a.amount));

/** Cost so far (to `now` while still held). */
export const allocationCost = (a: UsageInput, now: Date): number => (a.amount * a.costPerUnitSecond * heldMs(a, now)) / 1000;

export const allocationEfficiency = (a: Pick<UsageInput, "amount" | "amountUsed">): number => amountUsed(a) / a.amount;

export function totalUsage(allocations: readonly UsageInput[], now: Date): UsageTotals {
  let cost = 0;
  let unitMs = 0;
  let usedUnitMs = 0;
  for (const a of allocations) {
    const ms = heldMs(a, now);
    cost += allocationCost(a, now);
    unitMs += a.amount * ms;
    usedUnitMs += amountUsed(a) * ms;
  }
  return { cost, unitMs, usedUnitMs };
}

/**
 * totalUsage as SQL aggregates over "ResourceAllocation" rows (alias `a`), for the stats snapshot,
 * which must not load every allocation of a large execution. `nowParam` is a timestamptz SQL
 * fragment; never pass user input. A test checks it against totalUsage.
 */
export function totalUsageSql(nowParam: string): string {
  const ms = `greatest(0, extract(epoch FROM (coalesce(a."releasedAt", ${nowParam}) - a."allocatedAt")) * 1000)`;
  const used = `least(a.amount, greatest(0, coalesce(a."amountUsed", a.amount)))`;
  return `coalesce(sum(a.amount * a."costPerUnitSecond" * ${ms} / 1000), 0)::float8 AS cost,
          coalesce(sum(a.amount * ${ms}), 0)::float8 AS "unitMs",
          coalesce(sum(${used} * ${ms}), 0)::float8 AS "usedUnitMs"`;
}
