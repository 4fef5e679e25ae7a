import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { stop, track } from "../procs.ts";
import { parseFact, type Fact } from "./protocol.ts";

/** A peer worker process (a script next to this file), and the facts it reports on stdout. */
export class PeerProcess {
  private readonly child: ChildProcess;
  private readonly seen = new Map<string, number>();
  private readonly waiting = new Map<string, { resolve: (at: number) => void; reject: (err: Error) => void }>();

  constructor(script: string, env: Record<string, string>) {
    this.child = track(spawn(process.execPath, ["--import", "tsx", new URL(script, import.meta.url).pathname], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    }));
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const f = parseFact(line);
      if (!f) return;
      const key = `${f.fact} ${f.tag}`;
      const waiter = this.waiting.get(key);
      if (waiter) (this.waiting.delete(key), waiter.resolve(f.at));
      else this.seen.set(key, f.at);
    });
    this.child.once("exit", (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`${script} exited with ${code}`));
      this.waiting.clear();
    });
  }

  /** The time (worker clock) the fact was reported; null when `timeoutMs` passed first. */
  next(fact: Fact, tag = "", timeoutMs = 60_000): Promise<number | null> {
    const key = `${fact} ${tag}`;
    const at = this.seen.get(key);
    if (at !== undefined) return (this.seen.delete(key), Promise.resolve(at));
    if (this.child.exitCode !== null) return Promise.reject(new Error(`peer worker exited with ${this.child.exitCode}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.waiting.delete(key), resolve(null)), timeoutMs);
      const done = (fn: () => void) => (clearTimeout(timer), fn());
      this.waiting.set(key, { resolve: (v) => done(() => resolve(v)), reject: (e) => done(() => reject(e)) });
    });
  }

  /** Like next, but a missing fact is an error. */
  async expect(fact: Fact, tag = "", timeoutMs = 60_000): Promise<number> {
    const at = await this.next(fact, tag, timeoutMs);
    if (at === null) throw new Error(`no "${fact} ${tag}" from the peer worker within ${timeoutMs} ms`);
    return at;
  }

  stop = () => stop(this.child);
}
