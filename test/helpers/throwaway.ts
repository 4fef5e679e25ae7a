import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { reachable } from "./infra.ts";

// Throwaway Redis and PostgreSQL servers that a fault test may kill and restart at will, on spare ports,
// so the shared services other test runs use are never touched.

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what}: not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Why a fault test cannot run here, or null. Under CI=true a missing tool fails the file instead: CI
 * must run every fault test.
 */
export function unavailable(reason: string | null, test: string): string | null {
  if (reason === null) return null;
  if (process.env.CI === "true") throw new Error(`CI=true requires ${test}: ${reason}`);
  console.warn(`\n  ⚠ SKIPPING ${test}: ${reason}\n`);
  return reason;
}

// ---------------------------------------------------------------- Redis

export const redisServerMissing = (): string | null =>
  spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0 ? null : "redis-server is not on PATH (install redis-server)";

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL (no shutdown, no save): what a crash looks like to clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server with no persistence on a spare port, started and ready. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const kill = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await exited;
  };
  const start = async () => {
    if (child) throw new Error("redis-server already running");
    const c = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    child = c;
    await waitUntil(async () => {
      if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode} (port ${port})`);
      return reachable(`redis://127.0.0.1:${port}`, port);
    }, 10_000, "redis-server");
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}

// ---------------------------------------------------------------- PostgreSQL

/** initdb/pg_ctl: PG_BIN_DIR, else the newest /usr/lib/postgresql/<major>/bin, else `pg_config --bindir`. */
function postgresBinDir(): string | null {
  const candidates = [process.env.PG_BIN_DIR];
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) candidates.push(...readdirSync(root).sort((a, b) => Number(b) - Number(a)).map((v) => path.join(root, v, "bin")));
  const pgConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  if (pgConfig.status === 0) candidates.push(pgConfig.stdout.trim());
  return candidates.find((dir) => dir && existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) ?? null;
}

const runningAsRoot = () => process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres OS user (runuser). */
function postgresUser(): { uid: number; gid: number } | null {
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const [u, g] = [id("-u"), id("-g")];
  return u.status === 0 && g.status === 0 ? { uid: Number(u.stdout), gid: Number(g.stdout) } : null;
}

export function postgresClusterMissing(): string | null {
  if (!postgresBinDir()) return "initdb/pg_ctl not found (set PG_BIN_DIR or install the PostgreSQL server package)";
  if (runningAsRoot()) {
    if (spawnSync("runuser", ["--help"], { stdio: "ignore" }).status !== 0) return "running as root without runuser";
    if (!postgresUser()) return "running as root and there is no postgres OS user to run PostgreSQL as";
  }
  return null;
}

export interface PostgresCluster {
  port: number;
  /** A connection URL for a database of this cluster (user postgres, trust). */
  url(database: string): string;
  /** pg_ctl stop -m fast: every connection is terminated. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and deletes its files. */
  destroy(): Promise<void>;
}

/** initdb + pg_ctl start on a spare port, in a fresh temporary directory (trust auth, no fsync). */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir()!;
  const owner = runningAsRoot() ? postgresUser()! : null;
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), "pg-fault-"));
  if (owner) await chown(dir, owner.uid, owner.gid);
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "server.log");
  const run = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [cmd, argv] = owner ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
      const child = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.once("error", reject);
      child.once("exit", async (code) => {
        if (code === 0) return resolve();
        const log = await readFile(logFile, "utf8").catch(() => "");
        reject(new Error(`${tool} ${args.join(" ")} exited with ${code}\n${stderr}\n${log.slice(-2000)}`));
      });
    });
  await run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => run("pg_ctl", ["-D", data, "-o", options, "-l", logFile, "-w", "-t", "30", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
  let running = false;
  await start();
  running = true;
  return {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
