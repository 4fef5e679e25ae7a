import { matchesConstraints, type ResourceRequirement } from "./requirements.ts";

// All-or-nothing allocation by priority. Requests are decided one after the other, best first; a request
// gets every requirement or nothing. A request that could be served once enough is released, but is not
// now, keeps what it needs from the requests after it: the amounts of its requirements that fit now
// stay set aside, and the pools of those that do not fit are closed to later requests. So a big request
// is never starved by a stream of small ones (and aging lifts every waiting request's rank, so low
// priority is delayed, not starved), while pools it does not need stay open. A request no pool could ever
// serve (no match, or more than the capacity) waits without holding anything back.

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

/** Decides requests one at a time, in the order asked (the claim's order), against the pools' free capacity. */
export function createAllocator(pools: readonly Pool[]): { decide(request: AllocationRequest): AllocationOutcome } {
  const free = new Map(pools.map((p) => [p.id, p.capacity - p.allocated]));
  const closed = new Set<string>();
  return {
    decide(r) {
      const attempt = tryGrant(pools, r, free, closed);
      if (attempt.kind === "granted") {
        for (const g of attempt.grants) free.set(g.poolId, free.get(g.poolId)! - g.amount);
        return attempt;
      }
      const waitingOn = [...new Set(r.requirements.map((q) => q.type))];
      // Could it be served if every pool were empty? If not, it must not hold anything back from others.
      const empty = tryGrant(pools, r, new Map(pools.map((p) => [p.id, p.capacity])), new Set());
      if (empty.kind === "failed") return { kind: "waiting", requirement: empty.requirement, reason: empty.reason(true), waitingOn, satisfiable: false };
      for (const req of r.requirements) {
        const fit = bestFit(pools, req, free, closed);
        if (fit) free.set(fit.id, free.get(fit.id)! - req.amount);
        else for (const p of matching(pools, req)) closed.add(p.id);
      }
      return { kind: "waiting", requirement: attempt.requirement, reason: attempt.reason(false), waitingOn, satisfiable: true };
    },
  };
}

/** Decides every request best rank first (ties in the given order); the pools are not modified. */
export function planAllocations(pools: readonly Pool[], requests: readonly AllocationRequest[]): Map<string, AllocationOutcome> {
  const allocator = createAllocator(pools);
  const order = requests.map((r, i) => ({ r, i })).sort((a, b) => a.r.rank - b.r.rank || a.i - b.i);
  return new Map(order.map(({ r }) => [r.id, allocator.decide(r)]));
}

const matching = (pools: readonly Pool[], req: ResourceRequirement) => pools.filter((p) => p.type === req.type && matchesConstraints(p.attributes, req.constraints));

/** Cheapest first, then the tightest fit (keeps large free blocks for large requests), then by name. */
function bestFit(pools: readonly Pool[], req: ResourceRequirement, left: ReadonlyMap<string, number>, closed: ReadonlySet<string>): Pool | undefined {
  return matching(pools, req)
    .filter((p) => !closed.has(p.id) && left.get(p.id)! + EPSILON >= req.amount)
    .sort((a, b) => a.costPerUnitSecond - b.costPerUnitSecond || left.get(a.id)! - left.get(b.id)! || a.name.localeCompare(b.name))[0];
}

type Attempt = { kind: "granted"; grants: Grant[] } | { kind: "failed"; requirement: number; reason: (never: boolean) => string };

/** One pass over the requirements against the free capacity, taking from open pools only. */
function tryGrant(pools: readonly Pool[], r: AllocationRequest, free: ReadonlyMap<string, number>, closed: ReadonlySet<string>): Attempt {
  const left = new Map(free);
  const grants: Grant[] = [];
  for (const [i, req] of r.requirements.entries()) {
    const fit = bestFit(pools, req, left, closed);
    if (!fit) {
      const candidates = matching(pools, req);
      const open = candidates.filter((p) => !closed.has(p.id));
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
