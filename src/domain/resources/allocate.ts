import { matchesConstraints, type ResourceRequirement } from "./requirements.ts";

// All-or-nothing allocation by priority. Requests are served best rank first; a request gets every
// requirement or nothing. A request that could be served once enough is released, but is not now,
// reserves the pools it could use: no lower-ranked request may take from them in the same round, so a
// big request is never starved by a stream of small ones (aging lifts every waiting request's rank, so
// low priority is delayed, not starved). A request no pool could ever serve (no match, or more than a
// matching pool's whole capacity) waits without reserving anything.

export interface Pool {
  id: string;
  name: string;
  type: string;
  capacity: number;
  allocated: number;
  costPerUnitSecond: number;
  attributes: Readonly<Record<string, unknown>>;
}

export interface AllocationRequest {
  id: string;
  /** Lower is served first (domain/aging effectiveRank); ties keep the given order. */
  rank: number;
  requirements: readonly ResourceRequirement[];
}

export interface Grant {
  requirement: number;
  poolId: string;
  amount: number;
}

export type AllocationOutcome =
  | { kind: "granted"; grants: Grant[] }
  /** `requirement`: the index of the first one that could not be served. */
  | { kind: "waiting"; requirement: number; reason: string; waitingOn: string[]; satisfiable: boolean };

/** Tolerance for float sums of amounts (the database CHECK allows the same). */
const EPSILON = 1e-9;

const describe = (r: ResourceRequirement) => `${r.amount} ${r.type}${r.constraints && Object.keys(r.constraints).length ? ` matching ${JSON.stringify(r.constraints)}` : ""}`;

/** Decides every request against the pools' free capacity; the pools are not modified. */
export function planAllocations(pools: readonly Pool[], requests: readonly AllocationRequest[]): Map<string, AllocationOutcome> {
  const free = new Map(pools.map((p) => [p.id, p.capacity - p.allocated]));
  const reserved = new Set<string>();
  const outcomes = new Map<string, AllocationOutcome>();
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.rank - b.r.rank || a.i - b.i);
  for (const { r } of order) {
    const outcome = decide(pools, r, free, reserved);
    if (outcome.kind === "granted") for (const g of outcome.grants) free.set(g.poolId, free.get(g.poolId)! - g.amount);
    else if (outcome.satisfiable)
      for (const req of r.requirements) for (const p of matching(pools, req)) reserved.add(p.id);
    outcomes.set(r.id, outcome);
  }
  return outcomes;
}

const matching = (pools: readonly Pool[], req: ResourceRequirement) => pools.filter((p) => p.type === req.type && matchesConstraints(p.attributes, req.constraints));

function decide(pools: readonly Pool[], r: AllocationRequest, free: ReadonlyMap<string, number>, reserved: ReadonlySet<string>): AllocationOutcome {
  const attempt = tryGrant(pools, r, free, reserved);
  if (attempt.kind === "granted") return attempt;
  // Could it be served if every pool were empty? If not, it must not hold anything back from others.
  const empty = tryGrant(pools, r, new Map(pools.map((p) => [p.id, p.capacity])), new Set());
  const waitingOn = [...new Set(r.requirements.map((q) => q.type))];
  if (empty.kind === "failed") return { kind: "waiting", requirement: empty.requirement, reason: empty.reason(true), waitingOn, satisfiable: false };
  return { kind: "waiting", requirement: attempt.requirement, reason: attempt.reason(false), waitingOn, satisfiable: true };
}

type Attempt = { kind: "granted"; grants: Grant[] } | { kind: "failed"; requirement: number; reason: (never: boolean) => string };

/** One pass over the requirements against the free capacity, taking from unreserved pools only. */
function tryGrant(pools: readonly Pool[], r: AllocationRequest, free: ReadonlyMap<string, number>, reserved: ReadonlySet<string>): Attempt {
  const left = new Map(free);
  const grants: Grant[] = [];
  for (const [i, req] of r.requirements.entries()) {
    const candidates = matching(pools, req);
    const open = candidates.filter((p) => !reserved.has(p.id));
    // Cheapest first, then the tightest fit (keeps large free blocks for large requests), then by name.
    const fit = open
      .filter((p) => left.get(p.id)! + EPSILON >= req.amount)
      .sort((a, b) => a.costPerUnitSecond - b.costPerUnitSecond || left.get(a.id)! - left.get(b.id)! || a.name.localeCompare(b.name))[0];
    if (!fit) {
      const reason = (never: boolean) => {
        if (candidates.length === 0) return `no resource offers ${describe(req)}`;
        if (never) return `needs ${describe(req)}${i > 0 ? " besides its other requirements" : ""}, more than the matching resources hold (largest capacity ${Math.max(...candidates.map((p) => p.capacity))})`;
        if (open.length === 0) return `needs ${describe(req)}: held for higher-priority requests`;
        return `needs ${describe(req)}: at most ${round(Math.max(0, ...open.map((p) => left.get(p.id)!)))} free`;
      };
      return { kind: "failed", requirement: i, reason };
    }
    left.set(fit.id, left.get(fit.id)! - req.amount);
    grants.push({ requirement: i, poolId: fit.id, amount: req.amount });
  }
  return { kind: "granted", grants };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
