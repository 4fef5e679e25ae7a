import { mkdtemp, rm, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess, type Proc } from "./helpers/processes.ts";
import { query } from "./helpers/clients.ts";
import { runDiamondScenario, runFailingScenario } from "./helpers/scenario.ts";
import { Lists } from "./operations.ts";

// `npm start` with nothing set up: one process, PGlite under DATA_DIR, in-process bus. Needs no services.
describe("embedded default (PGlite + in-process bus, one process)", () => {
  let dataDir: string;
  let proc: Proc;
  let url: string;

  const start = async () => {
    proc = startProcess("src/main.ts", { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", POLL_INTERVAL_MS: "500" });
    url = (await proc.waitFor((l) => typeof l.url === "string", 60_000)).url as string;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "engine-embedded-"));
    await start();
  });

  afterAll(async () => {
    await proc?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("creates and migrates its database under DATA_DIR on first start", async () => {
    expect(await readdir(path.join(dataDir, "pglite"))).toContain("PG_VERSION");
    expect(proc.logs.some((l) => l.msg === "embedded mode: PGlite and an in-process bus")).toBe(true);
  });

  it("serves a self-contained GraphiQL page (no CDN scripts)", async () => {
    const res = await fetch(url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<html");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
  });

  it("runs the diamond and streams it over graphql-ws and SSE without gaps", async () => {
    await runDiamondScenario(url);
  });

  it("fails an execution whose task fails and cancels the rest", async () => {
    await runFailingScenario(url);
  });

  it("keeps its data across a restart", async () => {
    expect(await proc.stop()).toBe(0);
    await start();
    const { plans, executions } = await query(url, Lists, {});
    expect(plans.edges.map((e) => e.node.name).sort()).toEqual(["diamond", "failing"]);
    expect(executions.edges.map((e) => e.node.status).sort()).toEqual(["COMPLETED", "FAILED"]);
  });
});
