import { findTablesOf } from "../store/nodes.ts";
import type { Services } from "./context.ts";

/** The type of each bare UUID among `typenames` (each a model, stored in the table of its name); unknown ids are absent. */
export function nodeTypesOf(services: Services, ids: readonly string[], typenames: readonly string[]): Promise<Map<string, string>> {
  return findTablesOf(services.db.sql, ids, typenames);
}
