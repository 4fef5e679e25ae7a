import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { InvalidIdError } from "../domain/errors.ts";
import { isUuid } from "../domain/ids.ts";


/**
 * The one decoder of every ID argument (node(id:) and nodes(ids:) included): a global ID gives its
 * typename and UUID, a bare UUID gives the UUID with typename null (the argument's type, or the row,
 * tells which); anything else is null.
 */
export function decodeId(value: string | number): { typename: string | null; id: string } | null {
  const raw = String(value);
  if (isUuid(raw)) return { typename: null, id: raw.toLowerCase() };
  try {
    const { typename, id } = decodeGlobalID(raw);
    return typename && isUuid(id) ? { typename, id: id.toLowerCase() } : null;
  } catch {
    return null;
  }
}

/** The database id behind an ID argument of `typename`: its global ID or a bare UUID, else an InvalidIdError naming the field. */
export function parseId(field: string, value: string | number, typename: string): string {
  const decoded = decodeId(value);
  if (!decoded || (decoded.typename !== null && decoded.typename !== typename)) throw new InvalidIdError(field, String(value), typename);
  return decoded.id;
}

export const globalId = (typename: string, id: string): string => encodeGlobalID(typename, id);
