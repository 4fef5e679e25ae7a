import http from "node:http";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { Redis } from "ioredis";
import { preciseNow } from "../../src/infra/trace.ts";
import { QUERY, TERMINAL, type Delivery, type StreamCheck, type Target, type ToClient, type ToParent } from "./protocol.ts";

// One bench:monitor client process: its share of the subscribers, over graphql-ws, SSE or raw Redis
// pub/sub. Each subscriber checks its stream (seq 1, 2, 3… exactly once) and every delivery is timed
// here, so the parent's own work is never measured. Ready once every subscriber has its first update
// (monitor subscribes to the bus before it replays: from then on nothing live is missed).

interface Update {
  seq: number;
  timestamp: string | number;
  status: string;
}

const send = (m: ToParent) => process.send!(m);
const deliveries: Delivery[] = [];
const errors: string[] = [];
const streams: StreamCheck[] = [];
let firstSeen = 0;
let targets = 0;
let finished = 0;
const closers: (() => void)[] = [];

function stream(executionId: string): { push(u: Update, stamps?: Record<string, number> | null): void; complete(): void; fail(err: unknown): void } {
  const check: StreamCheck = { executionId, received: 0, lastSeq: 0, gaps: 0, duplicates: 0, completed: false };
  streams.push(check);
  const end = () => {
    if (++finished === targets) report();
  };
  return {
    push(u, stamps = null) {
      const at = preciseNow();
      deliveries.push([typeof u.timestamp === "number" ? u.timestamp : Date.parse(u.timestamp), at, stamps]);
      if (check.received++ === 0 && ++firstSeen === targets) send({ type: "ready" });
      if (u.seq <= check.lastSeq) check.duplicates++;
      else if (u.seq > check.lastSeq + 1) check.gaps++;
      check.lastSeq = Math.max(check.lastSeq, u.seq);
      if (TERMINAL.has(u.status) && !check.completed) (check.completed = true), end();
    },
    complete: () => undefined,
    fail(err) {
      errors.push(err instanceof Error ? err.message : JSON.stringify(err));
      // A subscriber that failed is reported, not waited for.
      if (check.received++ === 0 && ++firstSeen === targets) send({ type: "ready" });
      end();
    },
  };
}

function subscribeWs(t: Target): void {
  const s = stream(t.executionId);
  const client = createClient({ url: t.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  closers.push(() => void client.dispose());
  client.subscribe<{ monitor: Update }>({ query: QUERY, variables: { id: t.executionId } }, {
    next: (msg) => (msg.errors ? s.fail(msg.errors) : s.push(msg.data!.monitor, ((msg.extensions as { trace?: Record<string, number> } | undefined)?.trace ?? null))),
    error: (err) => s.fail(err),
    complete: () => s.complete(),
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function subscribeSse(t: Target): void {
  const s = stream(t.executionId);
  const req = http.request(t.url, { method: "POST", agent, headers: { "content-type": "application/json", accept: "text/event-stream" } }, (res) => {
    let buffer = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split("\n").find((l) => l.startsWith("data:"))?.slice(5).trim();
        if (!event.includes("event: next") || !data) continue;
        const msg = JSON.parse(data) as { data?: { monitor: Update }; errors?: unknown; extensions?: { trace?: Record<string, number> } };
        if (msg.errors) s.fail(msg.errors);
        else s.push(msg.data!.monitor, msg.extensions?.trace ?? null);
      }
    });
    res.on("error", (err) => s.fail(err));
  });
  req.on("error", (err) => s.fail(err));
  closers.push(() => req.destroy());
  req.end(JSON.stringify({ query: QUERY, variables: { id: t.executionId } }));
}

// Raw pub/sub, the baseline: one connection per subscriber, as each graphql-ws subscriber has its own.
function subscribeRedis(t: Target): void {
  const s = stream(t.executionId);
  const redis = new Redis(t.url);
  redis.on("error", (err) => errors.push(err.message));
  redis.on("message", (_channel: string, raw: string) => s.push(JSON.parse(raw) as Update));
  closers.push(() => redis.disconnect());
  // Subscribed means ready here: the parent publishes seq 1 after every client is ready.
  void redis.subscribe(t.channel!).then(() => (++firstSeen === targets ? send({ type: "ready" }) : undefined), (err: Error) => s.fail(err));
}

function report(): void {
  send({ type: "done", deliveries, streams, errors });
  for (const close of closers) close();
  setTimeout(() => process.exit(0), 200).unref();
}

process.on("message", (m: ToClient) => {
  if (m.type === "finish") return report();
  targets = m.targets.length;
  const start = { ws: subscribeWs, sse: subscribeSse, redis: subscribeRedis }[m.transport];
  // Connections open a few at a time, as real clients arrive, not all in one tick.
  let i = 0;
  const batch = () => {
    for (const end = Math.min(i + 50, m.targets.length); i < end; i++) start(m.targets[i]!);
    if (i < m.targets.length) setTimeout(batch, 5);
  };
  batch();
});
