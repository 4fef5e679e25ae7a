import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { decodeUpdate, encodeUpdate, type ExecutionUpdate } from "../domain/updates.ts";
import { decodeAlert, encodeAlert, type AlertMessage } from "../domain/alerts/message.ts";
import { decodeApiKeyEvent, encodeApiKeyEvent, type ApiKeyEvent } from "../domain/auth.ts";
import type { Logger } from "./logger.ts";
import type { SqlClient } from "./sql.ts";
import { adopt, mark, preciseNow, splitStamps, trace, withStamps } from "./trace.ts";

// One typed topic map for api and worker. Each topic is keyed (e.g. by execution id), so a
// subscriber only receives its own key's messages; each topic says how it crosses the wire.
interface TopicCodec<T> {
  encode(payload: T): string;
  decode(raw: string): T;
}

export const topics = {
  executionUpdate: { encode: encodeUpdate, decode: decodeUpdate } satisfies TopicCodec<ExecutionUpdate>,
  /** Keyed "*", "execution:<id>" and "plan:<id>" (an alert is published under each key it matches). */
  alertTriggered: { encode: encodeAlert, decode: decodeAlert } satisfies TopicCodec<AlertMessage>,
  /** Keyed "*": API key created (leave open mode) or revoked (drop it from caches, close its sockets). */
  apiKeys: { encode: encodeApiKeyEvent, decode: decodeApiKeyEvent } satisfies TopicCodec<ApiKeyEvent>,
};

export type Topics = { [K in keyof typeof topics]: ReturnType<(typeof topics)[K]["decode"]> };
export type Unsubscribe = () => Promise<void>;

// Both buses put these on the wire; with MONITOR_TRACE the payload's stamps travel with it (infra/trace.ts).
function encodeFor<K extends keyof Topics>(topic: K, payload: Topics[K]): string {
  const raw = topics[topic].encode(payload as never);
  if (!trace.on) return raw;
  mark(payload as object, "published");
  return withStamps(payload as object, raw);
}

function decodeFor<K extends keyof Topics>(topic: K, raw: string): Topics[K] {
  if (!trace.on) return topics[topic].decode(raw) as Topics[K];
  const received = preciseNow();
  const traced = splitStamps(raw);
  const payload = topics[topic].decode(traced.raw) as Topics[K];
  adopt(payload as object, traced.stamps, received);
  return payload;
}

/** The fast path for live updates. Never the record: losses are repaired from the event table. */
export interface Bus {
  publish<K extends keyof Topics>(topic: K, key: string, payload: Topics[K]): Promise<void>;
  subscribe<K extends keyof Topics>(topic: K, key: string, onMessage: (payload: Topics[K]) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

const channel = (topic: string, key: string) => `${topic}:${key}`;

/**
 * The default BUS_NAMESPACE: a short hash of the database's identity (the cluster's system identifier and
 * the database name). Every process on one database gets the same, whatever address it connects through;
 * processes on another database (another deployment sharing the Redis) get another. No secret goes in.
 */
export async function databaseNamespace(sql: SqlClient): Promise<string> {
  let identity: string;
  try {
    const [row] = await sql.query<{ id: string }>(`SELECT system_identifier::text || '/' || current_database() AS id FROM pg_control_system()`);
    identity = row!.id;
  } catch (err) {
    throw new Error(`cannot derive the bus namespace from the database (${(err as Error).message}): set BUS_NAMESPACE`);
  }
  return `engine-${createHash("sha256").update(identity).digest("hex").slice(0, 12)}`;
}

type Warn = (obj: object, msg: string) => void;
type Listener = (payload: never) => void;

/**
 * This process's subscriptions, one per channel however many subscribers share it: `open` subscribes to
 * the channel once, each message is decoded once, and every subscriber gets the same (read-only) payload.
 * The last subscriber to leave closes the channel. A subscriber's failing callback never reaches the others.
 */
function sharedChannels(warn: Warn, open: (name: string, deliver: (raw: string) => void) => Promise<Unsubscribe>) {
  const channels = new Map<string, { listeners: Set<Listener>; opened: Promise<Unsubscribe> }>();
  return async <K extends keyof Topics>(topic: K, name: string, onMessage: (payload: Topics[K]) => void): Promise<Unsubscribe> => {
    let entry = channels.get(name);
    if (!entry) {
      const listeners = new Set<Listener>();
      const deliver = (raw: string) => {
        let payload: Topics[K];
        try {
          payload = decodeFor(topic, raw);
        } catch (err) {
          return void warn({ err: (err as Error).message, topic }, "dropping undecodable message");
        }
        for (const listener of listeners) {
          try {
            listener(payload as never);
          } catch (err) {
            warn({ err: (err as Error).message, topic }, "subscriber callback failed");
          }
        }
      };
      entry = { listeners, opened: open(name, deliver) };
      channels.set(name, entry);
    }
    const shared = entry;
    shared.listeners.add(onMessage as Listener);
    await shared.opened; // live from here: the channel's subscription is confirmed (or given up waiting for)
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      shared.listeners.delete(onMessage as Listener);
      if (shared.listeners.size > 0 || channels.get(name) !== shared) return;
      channels.delete(name);
      await (await shared.opened)();
    };
  };
}

/** Embedded default: delivery inside one process. */
export function createMemoryBus(log?: Logger): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // one listener per channel in use
  const subscribe = sharedChannels(log ? (o, m) => log.warn(o, m) : () => undefined, async (name, deliver) => {
    emitter.on(name, deliver);
    return async () => void emitter.off(name, deliver);
  });
  return {
    async publish(topic, key, payload) {
      // Round-trip through the codec so embedded subscribers see exactly what Redis would deliver.
      const raw = encodeFor(topic, payload);
      queueMicrotask(() => emitter.emit(channel(topic, key), raw));
    },
    subscribe: (topic, key, onMessage) => subscribe(topic, channel(topic, key), onMessage),
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** Unless Redis has been found unreachable, subscribe() waits at most this long for the SUBSCRIBE to be confirmed. */
const SUBSCRIBE_WAIT_MS = 1000;
/** close() waits this long for QUIT before dropping the connections. */
const QUIT_WAIT_MS = 1000;

const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> => {
  let cancel = () => undefined as void;
  const timeout = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => clearTimeout(timer);
  });
  return Promise.race([promise, timeout]).finally(() => cancel());
};

/**
 * Redis pub/sub through graphql-redis-subscriptions over ioredis, one SUBSCRIBE per channel however many
 * subscribers share it (sharedChannels). Built for outages: nothing here waits for Redis or throws because it is down.
 * ioredis reconnects by itself and re-subscribes every channel (autoResubscribe). Two library limits are
 * worked around: its subscribe() cannot be bounded in time, so we stop waiting after SUBSCRIBE_WAIT_MS
 * (the caller repairs from the table meanwhile); and unsubscribing an id whose SUBSCRIBE is still pending
 * breaks its message handler, so an id is only ever unsubscribed once its subscribe() has resolved.
 */
export function createRedisBus(url: string, log: Logger, namespace: string): Bus {
  // Redis pub/sub ignores the DB number: the namespace alone keeps deployments sharing a Redis apart.
  const redisChannel = (topic: string, key: string) => `${namespace}:${channel(topic, key)}`;
  // The publisher fails fast while Redis is down or stalls (the worker must not wait; subscribers
  // backfill from the table); the subscriber queues its SUBSCRIBEs until Redis is back.
  const connect = (role: "publisher" | "subscriber") => {
    const client = new Redis(url, role === "publisher" ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 } : { maxRetriesPerRequest: null });
    // Without a listener an ioredis error event is an uncaught exception.
    client.on("error", (err: Error) => log.warn({ err: err.message, role }, "redis connection error"));
    return client;
  };
  const publisher = connect("publisher");
  const subscriber = connect("subscriber");
  // Reachable until a connection attempt fails: a subscribe() made while the first connection is still
  // being set up must wait for its confirmation too, or a message sent right after it resolves is lost.
  let reachable = true;
  subscriber.on("ready", () => void (reachable = true));
  subscriber.on("error", () => void (reachable = false));
  subscriber.on("close", () => void (reachable = false));
  const pubsub = new RedisPubSub({
    publisher,
    subscriber,
    // Payloads are encoded per topic (below): pass the strings through untouched.
    serializer: (s: unknown) => s as string,
    deserializer: (s: string | Buffer) => s.toString(),
  });

  const subscribe = sharedChannels((o, m) => log.warn(o, m), async (name, deliver) => {
    const id = pubsub.subscribe<string>(name, deliver);
    id.catch((err: Error) => log.warn({ err: err.message, channel: name }, "redis SUBSCRIBE failed"));
    // Delivery starts when Redis is back; meanwhile the caller repairs from the table.
    await within(id, reachable ? SUBSCRIBE_WAIT_MS : 0).catch(() => undefined);
    // Only a confirmed id is unsubscribed; during an outage that happens when Redis is back.
    return async () => void id.then((n) => pubsub.unsubscribe(n), () => undefined);
  });

  return {
    async publish(topic, key, payload) {
      await pubsub.publish(redisChannel(topic, key), encodeFor(topic, payload));
    },
    /** Resolves once Redis confirmed the channel's subscription, or without waiting long while Redis is unreachable. */
    subscribe: (topic, key, onMessage) => subscribe(topic, redisChannel(topic, key), onMessage),
    async close() {
      // QUIT waits behind queued commands while Redis is down: give it a moment, then drop the connections.
      await within(pubsub.close().catch(() => undefined), QUIT_WAIT_MS);
      for (const c of [publisher, subscriber]) if (c.status !== "end") c.disconnect();
    },
  };
}
