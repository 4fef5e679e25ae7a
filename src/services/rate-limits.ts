import { NotFoundError } from "../domain/errors.ts";
import { RATE_LIMIT_LIMITS, validateRateLimit, validateRateLimitName } from "../domain/rate-limit.ts";
import { deleteRateLimit, saveRateLimit, type RateLimitRow } from "../store/rate-limit.ts";
import type { Services } from "./context.ts";

// Named rate limits of the shared HTTP resource (the http handler's `rateLimit` input): the API's changes
// and reads. Their statements, and the limiter itself, are in src/store/rate-limit.ts.

export type { RateLimitRow };

/** Creates or changes a limit (a new window length restarts the count, a new request count applies at once). */
export async function setRateLimit(services: Pick<Services, "db">, input: { name: unknown; requests: unknown; windowMs: unknown }): Promise<RateLimitRow> {
  return saveRateLimit(services.db.sql, validateRateLimit(input));
}

/** Deletes a limit and its windows; tasks naming it afterwards fail with UNKNOWN_RATE_LIMIT. */
export async function removeRateLimit(services: Pick<Services, "db">, name: string): Promise<string> {
  validateRateLimitName("name", name);
  if (!(await deleteRateLimit(services.db.sql, name))) throw new NotFoundError("RateLimit", name);
  return name;
}

/** Every limit by name, at most RATE_LIMIT_LIMITS.maxListed. */
export const listRateLimits = (services: Pick<Services, "db">): Promise<RateLimitRow[]> =>
  services.db.prisma.rateLimit.findMany({ orderBy: { name: "asc" }, take: RATE_LIMIT_LIMITS.maxListed });
