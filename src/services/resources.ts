import { NotFoundError, ResourceUnavailableError, ValidationError } from "../domain/errors.ts";
import { planAllocations } from "../domain/resources/allocate.ts";
import { bestPriority, requestRank } from "../domain/resources/rank.ts";
import { RESOURCE_LIMITS, validateAttributes, validateRequirements, validateType } from "../domain/resources/requirements.ts";
import { insertAllocations, lockPools, releaseAllocations } from "../store/resources.ts";
import { allocationHolders, insertPool, lockPool, poolNameTaken, poolsChanged, updatePool, waitingRuns } from "../store/pools.ts";
import type { Services } from "./context.ts";

// Resource pools (createResource, updateResource) and holds taken by clients outside tasks
// (allocateResources, releaseResources). Tasks allocate in the claim (store/claim.ts).

export const CLIENT_LEASE = { defaultMs: 60_000, minMs: 1_000, maxMs: 24 * 3600 * 1000 } as const;
const MAX_COST_PER_UNIT_SECOND = 1e6;

export interface ResourceInput {
  name?: string | null;
  type?: string | null;
  capacity?: number | null;
  costPerUnitSecond?: number | null;
  attributes?: unknown;
}

function validateResource(input: ResourceInput, creating: boolean): void {
  if (creating || input.name != null)
    if (typeof input.name !== "string" || input.name.trim().length === 0 || input.name.length > RESOURCE_LIMITS.maxNameLength)
      throw new ValidationError("input.name", `must be 1..${RESOURCE_LIMITS.maxNameLength} characters`);
  if (creating) validateType(input.type, "input.type");
  if (creating || input.capacity != null)
    if (typeof input.capacity !== "number" || !Number.isFinite(input.capacity) || input.capacity < 0 || input.capacity > RESOURCE_LIMITS.maxAmount)
      throw new ValidationError("input.capacity", `must be a number between 0 and ${RESOURCE_LIMITS.maxAmount}`);
  const cost = input.costPerUnitSecond;
  if (cost != null && (!Number.isFinite(cost) || cost < 0 || cost > MAX_COST_PER_UNIT_SECOND))
    throw new ValidationError("input.costPerUnitSecond", `must be a number between 0 and ${MAX_COST_PER_UNIT_SECOND}`);
  validateAttributes(input.attributes, "input.attributes", Buffer.byteLength(JSON.stringify(input.attributes ?? {})));
}

export async function createResource({ db }: Pick<Services, "db">, input: ResourceInput): Promise<string> {
  validateResource(input, true);
  return db.sql.tx(async (c) => {
    const id = await insertPool(c, { name: input.name!.trim(), type: input.type!, capacity: input.capacity!, costPerUnitSecond: input.costPerUnitSecond ?? 0, attributes: input.attributes ?? {} });
    if (!id) throw new ValidationError("input.name", `a resource named "${input.name!.trim()}" exists already`);
    await poolsChanged(c, id);
    return id;
  });
}

/** Changes a pool; its type stays (allocations and waiting runs refer to it). Capacity may not drop below what is allocated. */
export async function updateResource({ db }: Pick<Services, "db">, id: string, input: Omit<ResourceInput, "type">): Promise<void> {
  validateResource(input, false);
  await db.sql.tx(async (c) => {
    const pool = await lockPool(c, id);
    if (!pool) throw new NotFoundError("Resource", id);
    if (input.capacity != null && input.capacity + 1e-9 < pool.allocated)
      throw new ValidationError("input.capacity", `${input.capacity} is below the ${pool.allocated} allocated now: wait for releases first`);
    if (input.name != null && (await poolNameTaken(c, input.name.trim(), id)))
      throw new ValidationError("input.name", `a resource named "${input.name.trim()}" exists already`);
    const fields = { name: input.name?.trim() ?? null, capacity: input.capacity ?? null, costPerUnitSecond: input.costPerUnitSecond ?? null, attributes: input.attributes ?? null };
    await updatePool(c, id, fields).catch((err: { code?: string }) => {
      // A concurrent createResource took the name after the check above.
      if (err.code === "23505") throw new ValidationError("input.name", `a resource named "${input.name!.trim()}" exists already`);
      throw err;
    });
    await poolsChanged(c, id);
  });
}

/**
 * A client's hold on resources outside any task: every requirement or nothing, now or a
 * ResourceUnavailableError. Task runs already waiting for these types at a better priority come first
 * (aged as the claim ages them). The hold ends with releaseResources or when its lease expires.
 */
export async function allocateResources(
  { db, clock }: Pick<Services, "db" | "clock">,
  requirementsInput: unknown,
  opts: { leaseMs?: number | null; label?: string | null; agingStepMs: number },
): Promise<string[]> {
  const requirements = validateRequirements(requirementsInput, "requirements");
  if (requirements.length === 0) throw new ValidationError("requirements", "must list at least one requirement");
  const leaseMs = opts.leaseMs ?? CLIENT_LEASE.defaultMs;
  if (!Number.isInteger(leaseMs) || leaseMs < CLIENT_LEASE.minMs || leaseMs > CLIENT_LEASE.maxMs)
    throw new ValidationError("leaseMs", `must be an integer between ${CLIENT_LEASE.minMs} and ${CLIENT_LEASE.maxMs}`);
  if (opts.label != null && opts.label.length > RESOURCE_LIMITS.maxNameLength) throw new ValidationError("label", `at most ${RESOURCE_LIMITS.maxNameLength} characters`);
  const now = clock();
  return db.sql.tx(async (c) => {
    const types = [...new Set(requirements.map((r) => r.type))];
    const waiting = await waitingRuns(c, types, now);
    const pools = await lockPools(c, [...types, ...waiting.flatMap((w) => w.resources.map((r) => r.type))]);
    const priority = bestPriority(requirements.map((r) => r.priority)) ?? "NORMAL";
    // Waiting runs aged as the claim ages them; the client's request goes last among equals (they were there first).
    const outcome = planAllocations(pools, [
      ...waiting.map((w) => ({ id: w.id, rank: requestRank(w, w.resources, w.since, now, opts.agingStepMs), requirements: w.resources })),
      { id: "client", rank: requestRank({ priority }, requirements, now, now, opts.agingStepMs), requirements },
    ]).get("client")!;
    if (outcome.kind === "waiting") throw new ResourceUnavailableError(`requirements[${outcome.requirement}]`, outcome.reason);
    const rows = await insertAllocations(
      c,
      outcome.grants.map((g) => ({
        resourceId: g.poolId,
        amount: g.amount,
        priority: requirements[g.requirement]!.priority ?? priority,
        label: opts.label ?? null,
        // A requirement's durationMs shortens the hold; it never outlives the lease.
        expiresAt: new Date(now.getTime() + Math.min(leaseMs, requirements[g.requirement]!.durationMs ?? leaseMs)),
      })),
      now,
    );
    return rows.map((r) => r.id);
  });
}

/** Ends clients' holds. Task allocations are refused: they end with their run. Releasing twice is harmless. */
export async function releaseResources({ db, clock }: Pick<Services, "db" | "clock">, ids: readonly string[]): Promise<void> {
  if (ids.length > 100) throw new ValidationError("ids", `at most 100 allocations at once, got ${ids.length}`);
  await db.sql.tx(async (c) => {
    const found = await allocationHolders(c, ids);
    const byId = new Map(found.map((f) => [f.id, f]));
    for (const [i, id] of ids.entries()) {
      const a = byId.get(id);
      if (!a) throw new NotFoundError("ResourceAllocation", id);
      if (a.taskRunId) throw new ValidationError(`ids[${i}]`, `allocation ${id} is held by task ${a.taskKey}: it is released when that run ends`);
    }
    await releaseAllocations(c, { ids, holder: "client" }, "released by client", clock());
  });
}
