import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors.ts";
import { dueTimes, firstRun, nextRunAfter, nextRuns, validateCron, validateSpec, validateTimezone } from "./spec.ts";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());
const daily = (timezone: string, from: string, cron = "30 2 * * *") => iso(nextRuns({ cron, timezone }, new Date(from), 4));
const perLocalDay = (runs: string[], timezone: string) => {
  const fmt = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
  return runs.map((r) => fmt.format(new Date(r)));
};

describe("validation", () => {
  it("accepts 5- and 6-field crons and rejects others, quoting the problem", () => {
    expect(() => validateCron("*/5 * * * *")).not.toThrow();
    expect(() => validateCron("*/1 * * * * *")).not.toThrow();
    expect(() => validateCron("* * *")).toThrow(/cron: "\* \* \*" has 3 fields/);
    expect(() => validateCron("61 * * * *")).toThrow(/cron: "61 \* \* \* \*" is invalid: .*61/);
    expect(() => validateCron("x y z a b")).toThrow(ValidationError);
  });
  it("accepts IANA zones, rejects unknown ones", () => {
    expect(() => validateTimezone("Europe/Paris")).not.toThrow();
    expect(() => validateTimezone("UTC")).not.toThrow();
    expect(() => validateTimezone("Mars/Olympus")).toThrow(/timezone: "Mars\/Olympus" is not an IANA time zone/);
  });
  it("wants exactly one of cron, intervalMs, runAt, and a sane interval", () => {
    expect(() => validateSpec({ timezone: "UTC" })).toThrow(/exactly one/);
    expect(() => validateSpec({ timezone: "UTC", cron: "* * * * *", intervalMs: 1000 })).toThrow(/exactly one/);
    expect(() => validateSpec({ timezone: "UTC", intervalMs: 10 })).toThrow(/intervalMs/);
    expect(() => validateSpec({ timezone: "UTC", runAt: new Date() })).not.toThrow();
  });
});

describe("nextRuns across daylight-saving changes", () => {
  it("Europe/Paris: 02:30 daily runs once on the spring-forward day (29 March 2026) and once on the fall-back day (25 October 2026)", () => {
    const spring = daily("Europe/Paris", "2026-03-27T12:00:00Z");
    expect(spring).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
    expect(new Set(perLocalDay(spring, "Europe/Paris")).size).toBe(4);
    const fall = daily("Europe/Paris", "2026-10-23T12:00:00Z");
    expect(fall).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z", "2026-10-27T01:30:00.000Z"]);
    expect(new Set(perLocalDay(fall, "Europe/Paris")).size).toBe(4);
  });
  it("America/New_York: once on 8 March 2026 and once on 1 November 2026, also for 01:30 (the repeated hour)", () => {
    expect(daily("America/New_York", "2026-03-06T12:00:00Z")).toEqual(["2026-03-07T07:30:00.000Z", "2026-03-08T07:30:00.000Z", "2026-03-09T06:30:00.000Z", "2026-03-10T06:30:00.000Z"]);
    expect(daily("America/New_York", "2026-10-30T12:00:00Z")).toEqual(["2026-10-31T06:30:00.000Z", "2026-11-01T07:30:00.000Z", "2026-11-02T07:30:00.000Z", "2026-11-03T07:30:00.000Z"]);
    const repeated = daily("America/New_York", "2026-10-30T12:00:00Z", "30 1 * * *");
    expect(new Set(perLocalDay(repeated, "America/New_York")).size).toBe(4);
  });
  it("intervals step from the given time; a one-shot has one run", () => {
    expect(iso(nextRuns({ timezone: "UTC", intervalMs: 1000 }, new Date("2026-01-01T00:00:00Z"), 2))).toEqual(["2026-01-01T00:00:01.000Z", "2026-01-01T00:00:02.000Z"]);
    const runAt = new Date("2026-05-01T00:00:00Z");
    expect(nextRuns({ timezone: "UTC", runAt }, new Date("2026-04-01T00:00:00Z"), 5)).toEqual([runAt]);
    expect(nextRuns({ timezone: "UTC", runAt }, runAt, 5)).toEqual([]);
    expect(firstRun({ timezone: "UTC", runAt }, new Date("2027-01-01T00:00:00Z"))).toEqual(runAt);
  });
  it("6-field crons have seconds", () => {
    expect(iso(nextRuns({ cron: "*/15 * * * * *", timezone: "UTC" }, new Date("2026-01-01T00:00:00Z"), 2))).toEqual(["2026-01-01T00:00:15.000Z", "2026-01-01T00:00:30.000Z"]);
  });
});

describe("due times and the next one", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  it("lists due times up to now, keeping the latest when bounded", () => {
    const cron = { cron: "*/10 * * * * *", timezone: "UTC" };
    expect(dueTimes(cron, t0, new Date("2026-01-01T00:00:35Z"), 100)).toHaveLength(4);
    expect(iso(dueTimes(cron, t0, new Date("2026-01-01T00:00:35Z"), 2))).toEqual(["2026-01-01T00:00:20.000Z", "2026-01-01T00:00:30.000Z"]);
    const every = { intervalMs: 60_000, timezone: "UTC" };
    expect(dueTimes(every, t0, new Date("2026-01-01T00:05:30Z"), 100)).toHaveLength(6);
    expect(iso(dueTimes(every, t0, new Date("2026-01-01T03:00:00Z"), 3))).toEqual(["2026-01-01T02:58:00.000Z", "2026-01-01T02:59:00.000Z", "2026-01-01T03:00:00.000Z"]);
    expect(dueTimes(every, t0, new Date("2025-12-31T23:00:00Z"), 3)).toEqual([]);
  });
  it("the next run after now stays on the interval grid", () => {
    expect(nextRunAfter({ intervalMs: 60_000, timezone: "UTC" }, t0, new Date("2026-01-01T00:05:30Z"))?.toISOString()).toBe("2026-01-01T00:06:00.000Z");
    expect(nextRunAfter({ cron: "0 * * * *", timezone: "UTC" }, t0, new Date("2026-01-01T05:10:00Z"))?.toISOString()).toBe("2026-01-01T06:00:00.000Z");
    expect(nextRunAfter({ runAt: t0, timezone: "UTC" }, t0, t0)).toBeNull();
  });
});
