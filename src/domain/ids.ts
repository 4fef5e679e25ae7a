/** A UUID as the database writes it (lower-case, hyphenated); also a pattern for SQL's `~`. */
export const UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

const UUID = new RegExp(UUID_PATTERN, "i");

/** Whether `s` is a UUID, in either case. */
export const isUuid = (s: string): boolean => UUID.test(s);
