import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { query } from "./helpers/clients.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { CreatePlan } from "./operations.ts";

// No wake-up is ever lost: with a poll interval longer than the test's timeout, only NOTIFY can start
// work, so every execution completing proves its wake-up was heard. Each one is scheduled when the worker
// has just gone idle after the previous one, at a random point of the worker's last round: a wake-up used
// to be lost when it fell between the worker's check and its sleep (before the fix, one of these executions
// waited out the poll and the test timed out).

const EXECUTIONS = 150;

describe.each(modes())("wake-ups ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded, pollIntervalMs: 600_000 })));
  afterAll(async () => env?.stop());

  it(`starts each of ${EXECUTIONS} executions scheduled one after the other on its wake-up alone`, async () => {
    const { createPlan } = await query(env.url, CreatePlan, { input: { name: "wake", tasks: [{ key: "n", handler: "noop" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(JSON.stringify(createPlan));
    for (let i = 0; i < EXECUTIONS; i += 1) {
      await new Promise((r) => setTimeout(r, Math.random() * 25));
      const id = await schedule(env.url, createPlan.id);
      const monitor = monitorWs(env.url, id);
      await monitor.done;
      expect(monitor.received.at(-1)!.monitor.status).toBe("COMPLETED");
    }
  }, 300_000); // a loaded machine takes its time; a lost wake-up takes the 10-minute poll
});
