import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { modes, startInProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan } from "./operations.ts";

// What a stopping worker does with the runs it still holds, when that goes wrong.

describe.each(modes())("worker shutdown ($mode)", ({ embedded }) => {
  it("a release that fails on shutdown is logged as an error with the run's id and the cause", async () => {
    let logged = "";
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    const env = await startInProcess({ embedded, logDestination: sink });
    try {
      const { createPlan } = await query(env.url, CreatePlan, { input: { name: "long", tasks: [{ key: "s", handler: "sleep", input: { ms: 60_000 } }] } });
      if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
      const id = await schedule(env.url, createPlan.id);
      const sub = monitorWs(env.url, id);
      await sub.until((r) => r.some((u) => u.monitor.events.some((e) => e.type === "TASK_STARTED")));
      await sub.close();
      const executionId = decodeGlobalID(id).id;
      const [run] = await env.services.db.sql.query<{ id: string }>(`SELECT id FROM "TaskRun" WHERE "executionId" = $1`, [executionId]);
      // The database goes away under the worker, which then stops: the release cannot be written.
      await env.closeDatabase();
      await env.worker.stop(AbortSignal.abort());
      const lines = logged.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const released = lines.filter((l) => String(l.msg).startsWith("could not release a run on shutdown"));
      expect(released).toEqual([expect.objectContaining({ level: 50, run: run!.id, executionId, err: expect.stringMatching(/\S/) })]);
    } finally {
      await env.stop();
    }
  });
});
