import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { InvalidIdError } from "../domain/errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The database id behind an ID argument. Accepts the global ID of `typename` (what the API returns)
 * or a bare UUID; anything else is an InvalidIdError naming the field.
 */
export function parseId(field: string, value: string | number, typename: string): string {
  const raw = String(value);
  if (UUID.test(raw)) return raw.toLowerCase();
  let decoded: { typename: string; id: string } | null = null;
  try {
    decoded = decodeGlobalID(raw);
  } catch {
    decoded = null;
  }
  if (!decoded || decoded.typename !== typename || !UUID.test(decoded.id)) throw new InvalidIdError(field, raw, typename);
  return decoded.id.toLowerCase();
}

export const globalId = (typename: string, id: string): string => encodeGlobalID(typename, id);
