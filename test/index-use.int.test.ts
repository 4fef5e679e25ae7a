import { decodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlClient } from "../src/infra/sql.ts";
import { planStatusGroups, planTaskGroups } from "../src/store/stats.ts";
import { query } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { CreatePlan } from "./operations.ts";

// The statistics statements behind /metrics and plan { stats } filter the large tables (Execution,
// TaskRun) on indexed columns as they are: a cast column (status::text = ANY …) cannot serve as an index
// condition, and every scrape then reads the whole table. With sequential scans disabled, the planner
// still reads every row when no index condition applies: by a Seq Scan, or by walking a whole index with
// the predicate as a mere Filter. Either is a full read.

const LARGE_TABLES = new Set(["Execution", "TaskRun"]);

interface PlanNode { "Node Type": string; "Relation Name"?: string; "Index Cond"?: string; Plans?: PlanNode[] }

/** The scans of a large table that read all of it: "Seq Scan on X" or "Index Scan on X without Index Cond". */
const fullReads = (node: PlanNode): string[] => {
  const table = node["Relation Name"] ?? "";
  const full = LARGE_TABLES.has(table) && (node["Node Type"] === "Seq Scan" || (/^Index (Only )?Scan$/.test(node["Node Type"]) && !node["Index Cond"]));
  return [...(full ? [`${node["Node Type"]} on ${table}`] : []), ...(node.Plans ?? []).flatMap(fullReads)];
};

async function explain(c: SqlClient & { tx: <T>(fn: (c: SqlClient) => Promise<T>) => Promise<T> }, text: string, params?: unknown[]): Promise<PlanNode> {
  return c.tx(async (tx) => {
    await tx.query("SET LOCAL enable_seqscan = off");
    const [row] = await tx.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
    const plan = typeof row!["QUERY PLAN"] === "string" ? JSON.parse(row!["QUERY PLAN"]) : row!["QUERY PLAN"];
    return (plan as { Plan: PlanNode }[])[0]!.Plan;
  });
}

describe.each(modes())("statistics statements use indexes ($mode)", ({ embedded }) => {
  let env: InProcess;
  const sent: { text: string; params?: unknown[] }[] = [];
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false, onStatement: (text, params) => sent.push({ text, params }) })));
  afterAll(async () => env?.stop());

  it("/metrics and plan stats read Execution and TaskRun through an index condition, never in full", async () => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "indexed", tasks: [{ key: "a", handler: "noop" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    const planId = decodeGlobalID(createPlan.id).id;
    sent.length = 0;
    const res = await fetch(new URL("/metrics", env.url));
    expect(res.status).toBe(200);
    await res.text();
    const since = new Date(Date.now() - 60_000);
    await planStatusGroups(env.services.db.sql, [planId], since);
    await planTaskGroups(env.services.db.sql, [planId], since);

    const reads = sent.filter((s) => /^\s*SELECT/i.test(s.text) && /"(Execution|TaskRun)"/.test(s.text)).splice(0);
    // executions by status and the queue counts (/metrics), then the two plan statements
    expect(reads.length).toBeGreaterThanOrEqual(4);
    for (const { text, params } of reads) {
      expect({ text, fullReads: fullReads(await explain(env.services.db.sql, text, params)) }).toEqual({ text, fullReads: [] });
    }
  });
});
