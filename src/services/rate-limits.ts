import { NotFoundError } from "../domain/errors.ts";
import { RATE_LIMIT_LIMITS, validateRateLimit, validateRateLimitName } from "../domain/rate-limit.ts";
import type { Services } from "./context.ts";

// Named rate limits of the shared HTTP resource (the http handler's `rateLimit` input). The limiter itself
// is src/store/rate-limit.ts; these are the API's changes and reads.

export interface RateLimitRow {
  name: string;
  requests: number;
  windowMs: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Creates or changes a limit. A new window length restarts the count (its windows are deleted: their
 * starts no longer line up); a new request count applies to the current window at once.
 */
export async function setRateLimit(services: Pick<Services, "db">, input: { name: unknown; requests: unknown; windowMs: unknown }): Promise<RateLimitRow> {
  const spec = validateRateLimit(input);
  return services.db.sql.tx(async (tx) => {
    const [previous] = await tx.query<{ windowMs: number }>(`SELECT "windowMs" FROM "RateLimit" WHERE name = $1 FOR UPDATE`, [spec.name]);
    const [row] = await tx.query<RateLimitRow>(
      `INSERT INTO "RateLimit" (name, requests, "windowMs") VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET requests = EXCLUDED.requests, "windowMs" = EXCLUDED."windowMs", "updatedAt" = CURRENT_TIMESTAMP
       RETURNING name, requests, "windowMs", "createdAt", "updatedAt"`,
      [spec.name, spec.requests, spec.windowMs],
    );
    if (previous?.windowMs !== spec.windowMs) await tx.query(`DELETE FROM "RateWindow" WHERE name = $1`, [spec.name]);
    return row!;
  });
}

/** Deletes a limit and its windows; tasks naming it afterwards fail with UNKNOWN_RATE_LIMIT. */
export async function removeRateLimit(services: Pick<Services, "db">, name: string): Promise<string> {
  validateRateLimitName("name", name);
  return services.db.sql.tx(async (tx) => {
    const removed = await tx.query(`DELETE FROM "RateLimit" WHERE name = $1 RETURNING name`, [name]);
    if (removed.length === 0) throw new NotFoundError("RateLimit", name);
    await tx.query(`DELETE FROM "RateWindow" WHERE name = $1`, [name]);
    return name;
  });
}

/** Every limit by name, at most RATE_LIMIT_LIMITS.maxListed. */
export const listRateLimits = (services: Pick<Services, "db">): Promise<RateLimitRow[]> =>
  services.db.prisma.rateLimit.findMany({ orderBy: { name: "asc" }, take: RATE_LIMIT_LIMITS.maxListed });
