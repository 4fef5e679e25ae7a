import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "./helpers/processes.ts";

const ENTRIES = { "npm start": "src/main.ts", "npm run api": "src/api/main.ts", "npm run worker": "src/engine/main.ts" } as const;
const URLS = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/unused", REDIS_URL: "redis://127.0.0.1:6379" };

// Start-up mistakes end the process at once with exit 1 and plain lines on stderr: no stack trace,
// no half-started engine (nothing is written to DATA_DIR).
describe("start-up mistakes", () => {
  let dataDir: string;
  beforeAll(async () => void (dataDir = await mkdtemp(path.join(tmpdir(), "engine-startup-"))));
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  /** Runs an entry point until it exits; a process that starts instead fails the test at once. */
  const refusal = async (entry: string, env: Record<string, string>) => {
    const proc = startProcess(entry, { DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", ...env });
    const started = proc.waitFor((l) => typeof l.url === "string" || l.msg === "worker started").then(() => "started" as const);
    const outcome = await Promise.race([proc.exited, started]);
    if (outcome === "started") await proc.stop();
    const lines = proc.stderr().split("\n").filter((l) => l.trim() !== "");
    return { outcome, lines };
  };

  it.each(["npm run api", "npm run worker"] as const)("%s without DATABASE_URL and REDIS_URL refuses in one line (only npm start runs embedded)", async (name) => {
    const { outcome, lines } = await refusal(ENTRIES[name], {});
    expect(outcome).toBe(1);
    expect(lines).toEqual([`invalid configuration: DATABASE_URL: ${name} needs DATABASE_URL and REDIS_URL (only npm start runs embedded, on PGlite and an in-process bus)`]);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it.each(Object.keys(ENTRIES) as (keyof typeof ENTRIES)[])("%s with invalid variables prints one line per bad variable and exits 1", async (name) => {
    const { outcome, lines } = await refusal(ENTRIES[name], { ...URLS, PORT: "http", WORKER_CONCURRENCY: "0", LOG_LEVEL: "loud" });
    expect(outcome).toBe(1);
    expect(lines.map((l) => l.match(/^invalid configuration: ([A-Z_]+): \S/)?.[1])).toEqual(["PORT", "WORKER_CONCURRENCY", "LOG_LEVEL"]);
    expect(await readdir(dataDir)).toEqual([]);
  });
});
