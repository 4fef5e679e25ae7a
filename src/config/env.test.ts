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

  it("takes BUS_NAMESPACE as a channel-safe name, unset by default (derived from the database)", () => {
    expect(loadConfig({}).BUS_NAMESPACE).toBeUndefined();
    expect(loadConfig({ BUS_NAMESPACE: "prod-eu.1" }).BUS_NAMESPACE).toBe("prod-eu.1");
    for (const bad of ["a*", "a:b", "x".repeat(65)]) expect(() => loadConfig({ BUS_NAMESPACE: bad })).toThrow(/BUS_NAMESPACE: 1–64 letters/);
  });

  it("keeps executions forever unless EXECUTION_RETENTION_MS is set (at least a minute); RETENTION_BATCH defaults to 500", () => {
    expect(loadConfig({}).EXECUTION_RETENTION_MS).toBeUndefined();
    expect(loadConfig({}).RETENTION_BATCH).toBe(500);
    expect(loadConfig({ EXECUTION_RETENTION_MS: "604800000", RETENTION_BATCH: "50" })).toMatchObject({ EXECUTION_RETENTION_MS: 604_800_000, RETENTION_BATCH: 50 });
    expect(() => loadConfig({ EXECUTION_RETENTION_MS: "1000" })).toThrow(/EXECUTION_RETENTION_MS:/);
    expect(() => loadConfig({ RETENTION_BATCH: "0" })).toThrow(/RETENTION_BATCH:/);
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

  it("lets only npm start run embedded: api and worker need the URLs", () => {
    for (const role of ["api", "worker"] as const) {
      expect(() => loadConfig({}, role)).toThrow(new RegExp(`DATABASE_URL: npm run ${role} needs DATABASE_URL and REDIS_URL`));
      expect(loadConfig({ DATABASE_URL: "postgresql://u@h/db", REDIS_URL: "redis://h:6379" }, role).DATABASE_URL).toBe("postgresql://u@h/db");
    }
    expect(loadConfig({}, "engine").DATABASE_URL).toBeUndefined();
  });

  it("reports one line per bad variable", () => {
    try {
      loadConfig({ PORT: "http", LOG_LEVEL: "loud" }, "api");
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).lines.map((l) => l.split(":")[0])).toEqual(["PORT", "LOG_LEVEL", "DATABASE_URL"]);
    }
  });
});
