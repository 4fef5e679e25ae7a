import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./env.ts";

describe("loadConfig", () => {
  it("defaults to the embedded setup on port 4000", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 4000, DATA_DIR: "./data", WORKER_CONCURRENCY: 8, LEASE_MS: 30_000 });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
  });

  it("treats empty strings as unset and coerces numbers", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "8080", WORKER_CONCURRENCY: "3" })).toMatchObject({ PORT: 8080, WORKER_CONCURRENCY: 3 });
  });

  it("names every invalid variable and why", () => {
    const attempt = () => loadConfig({ PORT: "http", WORKER_CONCURRENCY: "0", DATABASE_URL: "mysql://x/y", LOG_LEVEL: "loud" });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const name of ["PORT", "WORKER_CONCURRENCY", "DATABASE_URL", "LOG_LEVEL"]) expect(message).toContain(`${name}:`);
  });

  it("reads WAKE_ON_NOTIFY as a boolean, true by default", () => {
    expect(loadConfig({}).WAKE_ON_NOTIFY).toBe(true);
    expect(loadConfig({ WAKE_ON_NOTIFY: "false" }).WAKE_ON_NOTIFY).toBe(false);
    expect(() => loadConfig({ WAKE_ON_NOTIFY: "maybe" })).toThrow(/WAKE_ON_NOTIFY:/);
  });

  it("requires DATABASE_URL and REDIS_URL together", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgresql://u@h/db" })).toThrow(/REDIS_URL: set DATABASE_URL and REDIS_URL together/);
    expect(loadConfig({ DATABASE_URL: "postgresql://u@h/db", REDIS_URL: "redis://h:6379" }).REDIS_URL).toBe("redis://h:6379");
  });
});
