import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { infra } from "./helpers/infra.ts";
import { startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { query } from "./helpers/clients.ts";
import { schedule } from "./helpers/scenario.ts";
import { monitorExecution } from "../src/services/monitor.ts";
import { CreatePlan } from "./operations.ts";

// A subscriber slower than the engine must neither grow memory without bound nor lose updates:
// its inbox holds bufferSize updates, overflow is dropped and then refilled from the event table.
describe.skipIf(!infra().available)("bounded per-subscriber buffer", () => {
  let env: InProcess;

  beforeAll(async () => {
    env = await startInProcess();
  });

  afterAll(async () => env?.stop());

  it("delivers every update in order to a stalled subscriber with a 2-update buffer", async () => {
    const tasks = Array.from({ length: 40 }, (_, i) => ({ key: `t${i}`, handler: "noop" }));
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "wide", tasks } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const executionId = decodeGlobalID(await schedule(env.url, createPlan.id)).id;

    const seqs: number[] = [];
    let maxBacklog = 0;
    for await (const update of monitorExecution(env.services, { executionId, afterSeq: 0, bufferSize: 2, idleBackfillMs: 500 })) {
      seqs.push(update.event.seq);
      // Stall long enough for the worker to publish far more than the buffer holds.
      await new Promise((r) => setTimeout(r, 15));
      const { lastSeq } = (await env.services.db.prisma.execution.findUniqueOrThrow({ where: { id: executionId } }));
      maxBacklog = Math.max(maxBacklog, lastSeq - update.event.seq);
    }
    expect(maxBacklog, "the subscriber fell behind by more than its buffer").toBeGreaterThan(2);
    // 1 scheduled + 1 started + 40 × (started + completed) + 1 completed
    expect(seqs).toEqual(Array.from({ length: 83 }, (_, i) => i + 1));
  });
});
