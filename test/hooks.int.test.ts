import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { query } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan } from "./operations.ts";
import { Worker } from "../src/engine/worker.ts";
import { HandlerRegistry } from "../src/engine/handlers/registry.ts";
import { builtinHandlers } from "../src/engine/handlers/builtins.ts";
import { defineHooks, type Handler } from "../src/engine/handlers/define.ts";
import type { Db } from "../src/infra/db.ts";

// Execution hooks cost nothing when none is registered: the worker reads the execution for them only
// when a hook of that kind exists. The worker's one use of Prisma on a run's path is that read, so a
// Prisma that records which models the worker touches tells whether it happened.

/** db whose Prisma records every model the caller reads or writes. */
function recordingPrisma(db: Db, touched: string[]): Db {
  const prisma = new Proxy(db.prisma, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop === "string" && !prop.startsWith("$") && typeof value === "object" && value !== null) touched.push(prop);
      return value;
    },
  });
  return { ...db, prisma };
}

describe.each(modes())("execution hooks ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, startWorker: false })));
  afterAll(async () => env?.stop());

  async function runOne(handlers: HandlerRegistry): Promise<{ touched: string[]; executionId: string }> {
    const touched: string[] = [];
    const worker = new Worker({ ...env.services, handlers, db: recordingPrisma(env.services.db, touched) }, { concurrency: 2, pollIntervalMs: 60_000, leaseMs: 30_000, agingStepMs: 60_000 });
    await worker.start();
    try {
      const { createPlan } = await query(env.url, CreatePlan, { input: { name: "hooks", tasks: [{ key: "n", handler: "noop" }] } });
      if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
      const id = await schedule(env.url, createPlan.id);
      await monitorWs(env.url, id).done;
      return { touched, executionId: decodeGlobalID(id).id };
    } finally {
      await worker.stop(AbortSignal.timeout(1000));
    }
  }

  it("with no hook registered, a run makes no execution lookup", async () => {
    const { touched } = await runOne(new HandlerRegistry(builtinHandlers as Handler<never>[]));
    expect(touched).toEqual([]);
  });

  it("a registered hook still gets its execution, and only its kind is looked up", async () => {
    const ended: { id: string; status: string }[] = [];
    const hooks = defineHooks({ name: "end-only", onExecutionEnd: (ctx) => void ended.push({ id: ctx.execution.id, status: ctx.execution.status }) });
    const { touched, executionId } = await runOne(new HandlerRegistry(builtinHandlers as Handler<never>[], [hooks]));
    await expect.poll(() => ended).toEqual([{ id: executionId, status: "COMPLETED" }]);
    expect(touched).toEqual(["execution"]); // the end's lookup; no start hook, no start lookup
  });
});
