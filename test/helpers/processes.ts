import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Proc {
  child: ChildProcess;
  /** Every JSON log line so far (pino). */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line matching, or rejects when the process exits first. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Everything written to stderr so far. */
  stderr(): string;
}

/** Children still running: a test file that ends without stopping one (a failed hook, a timeout) must not leave it behind. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts an entry point (src/api/main.ts, src/engine/main.ts, src/main.ts) as a real child process. */
export function startProcess(entry: string, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", TX_GUARD: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  createInterface({ input: child.stdout! }).on("line", (line) => {
    try {
      logs.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      logs.push({ msg: line });
    }
    for (const w of waiters) w();
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    logs,
    waitFor(match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = logs.find(match);
          if (hit) {
            cleanup();
            resolve(hit);
          }
        };
        const timer = setTimeout(() => (cleanup(), reject(new Error(`${entry}: no matching log line in ${timeoutMs} ms\n${stderr}`))), timeoutMs);
        const cleanup = () => (clearTimeout(timer), waiters.delete(check));
        void exited.then((code) => (cleanup(), reject(new Error(`${entry} exited with ${code}\n${stderr}`))));
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
    exited,
    stderr: () => stderr,
  };
}

/** An API process on a free port; resolves to its GraphQL URL. */
export async function startApi(env: Record<string, string>): Promise<{ proc: Proc; url: string }> {
  const proc = startProcess("src/api/main.ts", { PORT: "0", HOST: "127.0.0.1", ...env });
  const line = await proc.waitFor((l) => typeof l.url === "string");
  return { proc, url: line.url as string };
}

export async function startWorker(env: Record<string, string>): Promise<Proc> {
  const proc = startProcess("src/engine/main.ts", env);
  await proc.waitFor((l) => l.msg === "worker started");
  return proc;
}
