import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, infra } from "./helpers/infra.ts";
import { modes } from "./helpers/inprocess.ts";
import { startProcess, type Proc } from "./helpers/processes.ts";
import { monitorWs, schedule } from "./helpers/scenario.ts";
import { query } from "./helpers/clients.ts";
import { CreatePlan } from "./operations.ts";

/** A WebSocket client that completes the upgrade and then never answers, not even the server's close frame. */
async function silentWebSocket(url: string): Promise<net.Socket> {
  const { hostname, port, pathname } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${Buffer.alloc(16, 1).toString("base64")}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => socket.once("data", (d: Buffer) => resolve(d.toString())));
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  socket.on("data", () => undefined); // read and ignore: no close frame ever goes back
  socket.on("error", () => undefined);
  return socket;
}

// SIGTERM ends the process within SHUTDOWN_GRACE_MS whatever is still going on: then it names what was
// still open, closes it and exits 1. The grace period is short here; only the test timeout bounds time.
describe.each(modes())("graceful shutdown ends within its grace period ($mode)", ({ embedded }) => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it("with a handler that never ends and a client that never closes: logs the run and the connection, closes them, exits 1", async () => {
    const env: Record<string, string> = { PORT: "0", HOST: "127.0.0.1", SHUTDOWN_GRACE_MS: "500", HANDLER_MODULES: "test/fixtures/control-handlers.ts" };
    if (embedded) {
      const dataDir = await mkdtemp(path.join(tmpdir(), "engine-shutdown-"));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
    } else Object.assign(env, { DATABASE_URL: await createTestDatabase(), REDIS_URL: infra().redisUrl });
    const proc: Proc = startProcess("src/main.ts", env);
    cleanup.push(() => proc.stop());
    const url = (await proc.waitFor((l) => typeof l.url === "string", 60_000)).url as string;

    const { createPlan } = await query(url, CreatePlan, { input: { name: "stuck", tasks: [{ key: "h", handler: "hang" }] } });
    if (createPlan.__typename !== "Plan") throw new Error(createPlan.__typename);
    const executionId = await schedule(url, createPlan.id);
    const sub = monitorWs(url, executionId);
    await sub.until((r) => r.some((u) => u.monitor.events.some((e) => e.type === "TASK_STARTED")));
    await sub.close();
    const silent = await silentWebSocket(url);
    cleanup.push(async () => silent.destroy());
    const silentPort = silent.localPort;

    expect(await proc.stop()).toBe(1);
    const over = proc.logs.find((l) => typeof l.msg === "string" && l.msg.startsWith("shutdown: the grace period (500 ms) is over"));
    const execution = decodeGlobalID(executionId).id;
    expect(over?.open).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^run [0-9a-f-]{36} \\(task h of execution ${execution}\\)$`)),
        `WebSocket connection from 127.0.0.1:${silentPort}`,
      ]),
    );
    // Closing what was left took no more than its bound: nothing had to be abandoned.
    expect(proc.logs.some((l) => typeof l.msg === "string" && l.msg.startsWith("shutdown: still open"))).toBe(false);
  });
});
