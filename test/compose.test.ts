import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig, type Role } from "../src/config/env.ts";
import { decideMode } from "../src/domain/auth.ts";
import { CLOSE_MS } from "../src/infra/shutdown.ts";

// Docker is not needed to keep docker-compose.yml correct: it is read here as compose reads it (YAML with
// merge keys, then ${VAR}, ${VAR:-default}, ${VAR:?message} and $$ from the environment or .env), and each
// engine service's environment must be one its entry point starts with.

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  restart?: string;
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
}

const root = new URL("../", import.meta.url);
const compose = parse(readFileSync(new URL("docker-compose.yml", root), "utf8"), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const scripts = (JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { scripts: Record<string, string> }).scripts;
const KEY = "k".repeat(40);

/** Compose's interpolation of one value; throws the message of a `${VAR:?message}` whose VAR is unset or empty. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g, (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (whole === "$$") return "$";
    const set = env[name!];
    if (set) return set;
    if (op === "?") throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return op === "-" ? arg! : "";
  });
}

const environmentOf = (service: Service, env: Record<string, string>) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));

/** The role of an engine service, from the npm script it runs. */
const ROLES: Record<string, Role> = { "npm run api": "api", "npm run worker": "worker" };
const roleOf = (s: Service): Role | undefined => ROLES[(s.command ?? []).join(" ")];
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);

describe("docker-compose.yml", () => {
  it("publishes no PostgreSQL or Redis port (no clash with local services)", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const port of s.ports ?? []) expect(port, name).not.toMatch(/(^|:)(5432|6379)$/);
      if (/^(postgres|redis):/.test(s.image ?? "")) expect(s.ports, name).toBeUndefined();
    }
    expect(services.api?.ports).toEqual(["4000:4000"]);
  });

  it("never restarts in a loop: a configuration error (exit 1) is retried a bounded number of times", () => {
    for (const [name, s] of Object.entries(services)) expect(s.restart ?? "no", name).toMatch(/^(no|on-failure:[1-9]\d?)$/);
  });

  it("takes the API key from .env and stops with a clear message without it", () => {
    expect(() => environmentOf(services.api!, {})).toThrow(/BOOTSTRAP_ADMIN_KEY .*\.env/);
    expect(environmentOf(services.api!, { BOOTSTRAP_ADMIN_KEY: KEY }).BOOTSTRAP_ADMIN_KEY).toBe(KEY);
    // Only the API needs it: `docker compose run migrate` and the worker read nothing else from .env.
    for (const name of ["migrate", "worker"]) expect(JSON.stringify(services[name]?.environment)).not.toContain("${");
  });

  it("gives each engine service a configuration its entry point accepts, and the API a key to listen on 0.0.0.0", () => {
    const engines = Object.entries(services).filter(([, s]) => s.command?.[0] === "npm");
    expect(engines.map(([name]) => name).sort()).toEqual(["api", "migrate", "worker"]);
    for (const [name, s] of engines) {
      expect(scripts[s.command![2]!], name).toBeDefined();
      const env = environmentOf(s, { BOOTSTRAP_ADMIN_KEY: KEY });
      const role = roleOf(s);
      const config = loadConfig({ HOST: "0.0.0.0", PORT: "4000", ...env }, role); // the Dockerfile's HOST and PORT, then compose's
      if (role === "api") expect(decideMode({ host: config.HOST, activeKeys: 0, bootstrapKey: !!config.BOOTSTRAP_ADMIN_KEY, authDisabled: config.AUTH_DISABLED })).toMatchObject({ ok: true, mode: "keys" });
      if (role) expect(s.depends_on?.migrate).toEqual({ condition: "service_completed_successfully" });
    }
  });

  it("lets the worker's shutdown (grace period, then closing what is left) end before compose's SIGKILL", () => {
    const graceMs = loadConfig(environmentOf(services.worker!, {}), "worker").SHUTDOWN_GRACE_MS;
    expect(seconds(services.worker!.stop_grace_period!) * 1000).toBeGreaterThan(graceMs + CLOSE_MS);
  });

  it("is what the README describes", () => {
    const readme = readFileSync(new URL("README.md", root), "utf8");
    const section = readme.slice(readme.indexOf("**Docker Compose**"), readme.indexOf("## GraphiQL walkthrough"));
    expect(section).toContain("BOOTSTRAP_ADMIN_KEY");
    expect(section).toContain(".env");
    expect(section).not.toMatch(/5432|6379/);
  });
});
