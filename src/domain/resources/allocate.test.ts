import { describe, expect, it } from "vitest";
import { createAllocator, planAllocations, type AllocationRequest, type Pool } from "./allocate.ts";
import { requestRank } from "./rank.ts";

const pool = (id: string, type: string, capacity: number, over: Partial<Pool> = {}): Pool => ({ id, name: id, type, capacity, allocated: 0, costPerUnitSecond: 0, attributes: {}, ...over });
const req = (id: string, rank: number, ...requirements: [string, number][]): AllocationRequest => ({ id, rank, requirements: requirements.map(([type, amount]) => ({ type, amount })) });

describe("planAllocations", () => {
  it("grants every requirement or none", () => {
    const out = planAllocations([pool("g", "gpu", 1), pool("c", "cpu", 8)], [req("a", 2, ["cpu", 4], ["gpu", 2]), req("b", 2, ["cpu", 8])]);
    expect(out.get("a")).toMatchObject({ kind: "waiting", requirement: 1, satisfiable: false });
    // a holds nothing (not even its cpu), so b gets all 8 cpu.
    expect(out.get("b")).toEqual({ kind: "granted", grants: [{ requirement: 0, poolId: "c", amount: 8 }] });
  });

  it("serves better ranks first whatever the order given", () => {
    const out = planAllocations([pool("g", "gpu", 2)], [req("low", 3, ["gpu", 2]), req("high", 0, ["gpu", 2])]);
    expect(out.get("high")?.kind).toBe("granted");
    expect(out.get("low")).toMatchObject({ kind: "waiting", reason: expect.stringContaining("at most 0 free") });
  });

  it("keeps what a waiting request needs from lower ranks (no starvation by small requests), and no more", () => {
    const pools = [pool("g", "gpu", 4, { allocated: 2 }), pool("c", "cpu", 4)];
    const out = planAllocations(pools, [
      req("big", 1, ["gpu", 4], ["cpu", 1]),
      req("small", 2, ["gpu", 1]),
      req("cpuOnly", 2, ["cpu", 3]),
      req("cpuMore", 2, ["cpu", 1]),
      req("other", 2, ["disk", 1]),
    ]);
    expect(out.get("big")).toMatchObject({ kind: "waiting", satisfiable: true });
    // The gpu pool is closed to later requests even though 2 are free: big needs all 4 of it.
    expect(out.get("small")).toMatchObject({ kind: "waiting", reason: expect.stringContaining("held for higher-priority requests") });
    // Of the cpu pool, big sets aside only the 1 it needs: 3 remain for others.
    expect(out.get("cpuOnly")?.kind).toBe("granted");
    expect(out.get("cpuMore")).toMatchObject({ kind: "waiting", reason: expect.stringContaining("at most 0 free") });
    expect(out.get("other")).toMatchObject({ kind: "waiting", satisfiable: false, reason: expect.stringContaining("no resource offers 1 disk") });
  });

  it("decides in the order asked when used incrementally (the claim's order)", () => {
    const allocator = createAllocator([pool("g", "gpu", 1)]);
    expect(allocator.decide(req("first", 4, ["gpu", 1])).kind).toBe("granted");
    expect(allocator.decide(req("second", 0, ["gpu", 1]))).toMatchObject({ kind: "waiting", satisfiable: true });
  });

  it("does not let a request no pool could ever serve block others", () => {
    const out = planAllocations([pool("g", "gpu", 2)], [req("huge", 0, ["gpu", 3]), req("fits", 4, ["gpu", 2])]);
    expect(out.get("huge")).toMatchObject({ kind: "waiting", satisfiable: false, reason: expect.stringContaining("largest capacity 2") });
    expect(out.get("fits")?.kind).toBe("granted");
  });

  it("matches constraints and picks the cheapest, then the tightest fit", () => {
    const pools = [
      pool("big", "node", 64, { attributes: { memory: 65536, gpu: false } }),
      pool("small", "node", 8, { attributes: { memory: 16384, gpu: false } }),
      pool("gpu", "node", 64, { attributes: { memory: 65536, gpu: true }, costPerUnitSecond: 0 }),
      pool("pricey", "node", 8, { attributes: { memory: 16384, gpu: false }, costPerUnitSecond: 5 }),
    ];
    const out = planAllocations(pools, [{ id: "a", rank: 0, requirements: [{ type: "node", amount: 4, constraints: { minMemory: 8192, gpu: false } }] }]);
    expect(out.get("a")).toEqual({ kind: "granted", grants: [{ requirement: 0, poolId: "small", amount: 4 }] });
  });

  it("splits two requirements of one type over the pools, counting the first against the second", () => {
    const out = planAllocations([pool("a", "cpu", 4), pool("b", "cpu", 4)], [req("r", 0, ["cpu", 3], ["cpu", 3])]);
    expect(out.get("r")).toMatchObject({ kind: "granted", grants: [{ poolId: "a" }, { poolId: "b" }] });
  });

  it("never over-allocates and never starves: a randomized run keeps sum(allocated) ≤ capacity after every step and serves every request", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const types = ["cpu", "gpu", "mem"];
    const pools = types.flatMap((type, i) => [pool(`${type}1`, type, 4 + i * 3), pool(`${type}2`, type, 2 + i)]);
    const held = new Map<string, { poolId: string; amount: number }[]>();
    let waiting: (AllocationRequest & { base: number; since: number })[] = [];
    let granted = 0;
    let longestWait = 0;
    for (let step = 0; step < 1500; step++) {
      for (const [id, grants] of held)
        if (random() < 0.3) {
          for (const g of grants) pools.find((p) => p.id === g.poolId)!.allocated -= g.amount;
          held.delete(id);
        }
      if (step < 1200)
        waiting.push({
          id: `r${step}`,
          base: Math.floor(random() * 5),
          since: step,
          rank: 0,
          requirements: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({ type: types[Math.floor(random() * 3)]!, amount: 0.5 + Math.floor(random() * 6) / 2 })),
        });
      // Aging as in domain/aging: one level better per 5 steps waited.
      for (const w of waiting) w.rank = Math.max(0, w.base - Math.floor((step - w.since) / 5));
      const outcomes = planAllocations(pools, waiting);
      waiting = waiting.filter((w) => {
        const o = outcomes.get(w.id)!;
        if (o.kind === "granted") {
          granted++;
          longestWait = Math.max(longestWait, step - w.since);
          for (const g of o.grants) pools.find((p) => p.id === g.poolId)!.allocated += g.amount;
          held.set(w.id, o.grants);
          return false;
        }
        return o.satisfiable;
      });
      for (const p of pools) {
        expect(p.allocated).toBeLessThanOrEqual(p.capacity + 1e-9);
        expect(p.allocated).toBeGreaterThanOrEqual(-1e-9);
      }
    }
    expect(waiting).toEqual([]); // every request that could ever be served was served
    expect(granted).toBeGreaterThan(900);
    expect(longestWait).toBeLessThan(300);
  });

  it("ages a waiting request above fresh ones of better priority (domain/aging), and a requirement's own priority counts", () => {
    const now = new Date("2026-01-01T01:00:00Z");
    const waitedLong = requestRank({ priority: "IDLE" }, [{ type: "gpu", amount: 1 }], new Date(now.getTime() - 4 * 60_000), now, 60_000);
    const fresh = requestRank({ priority: "HIGH" }, [{ type: "gpu", amount: 1 }], now, now, 60_000);
    expect(waitedLong).toBeLessThan(fresh);
    expect(requestRank({ priority: "LOW" }, [{ type: "gpu", amount: 1, priority: "CRITICAL" }], now, now, 60_000)).toBe(0);
    const out = planAllocations([pool("g", "gpu", 1)], [req("fresh", fresh, ["gpu", 1]), req("old", waitedLong, ["gpu", 1])]);
    expect(out.get("old")?.kind).toBe("granted");
  });
});
