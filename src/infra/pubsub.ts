import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { decodeUpdate, encodeUpdate, type ExecutionUpdate } from "../services/updates.ts";
import { decodeAlert, encodeAlert, type AlertMessage } from "../services/alerts.ts";
import { decodeApiKeyEvent, encodeApiKeyEvent, type ApiKeyEvent } from "../services/api-keys.ts";
import type { Logger } from "./logger.ts";

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

/** The fast path for live updates. Never the record: losses are repaired from the event table. */
export interface Bus {
  publish<K extends keyof Topics>(topic: K, key: string, payload: Topics[K]): Promise<void>;
  subscribe<K extends keyof Topics>(topic: K, key: string, onMessage: (payload: Topics[K]) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

const channel = (topic: string, key: string) => `${topic}:${key}`;

/** Embedded default: delivery inside one process. */
export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // one listener per live subscription; bounded by the API's own limits
  return {
    async publish(topic, key, payload) {
      // Round-trip through the codec so embedded subscribers see exactly what Redis would deliver.
      const raw = topics[topic].encode(payload as never);
      queueMicrotask(() => emitter.emit(channel(topic, key), raw));
    },
    async subscribe(topic, key, onMessage) {
      const listener = (raw: string) => onMessage(topics[topic].decode(raw) as never);
      emitter.on(channel(topic, key), listener);
      return async () => void emitter.off(channel(topic, key), listener);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** With Redis reachable, subscribe() waits at most this long for the SUBSCRIBE to be confirmed. */
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
 * Redis pub/sub through graphql-redis-subscriptions over ioredis (one SUBSCRIBE per channel however many
 * subscribers share it). Built for outages: nothing here waits for Redis or throws because it is down.
 * ioredis reconnects by itself and re-subscribes every channel (autoResubscribe). Two library limits are
 * worked around: its subscribe() cannot be bounded in time, so we stop waiting after SUBSCRIBE_WAIT_MS
 * (the caller repairs from the table meanwhile); and unsubscribing an id whose SUBSCRIBE is still pending
 * breaks its message handler, so an id is only ever unsubscribed once its subscribe() has resolved.
 */
export function createRedisBus(url: string, log: Logger): Bus {
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
  const pubsub = new RedisPubSub({
    publisher,
    subscriber,
    // Payloads are encoded per topic (below): pass the strings through untouched.
    serializer: (s: unknown) => s as string,
    deserializer: (s: string | Buffer) => s.toString(),
  });

  return {
    async publish(topic, key, payload) {
      await pubsub.publish(channel(topic, key), topics[topic].encode(payload as never));
    },
    /** Resolves once Redis confirmed the subscription, or without waiting long while Redis is unreachable. */
    async subscribe(topic, key, onMessage) {
      const name = channel(topic, key);
      const id = pubsub.subscribe<string>(name, (raw) => {
        let payload: Topics[typeof topic];
        try {
          payload = topics[topic].decode(raw) as never;
        } catch (err) {
          return void log.warn({ err: (err as Error).message, topic }, "dropping undecodable message");
        }
        try {
          onMessage(payload);
        } catch (err) {
          log.warn({ err: (err as Error).message, topic }, "subscriber callback failed");
        }
      });
      id.catch((err: Error) => log.warn({ err: err.message, channel: name }, "redis SUBSCRIBE failed"));
      // Delivery starts when Redis is back; meanwhile the caller repairs from the table.
      await within(id, subscriber.status === "ready" ? SUBSCRIBE_WAIT_MS : 0).catch(() => undefined);
      let active = true;
      return async () => {
        if (!active) return;
        active = false;
        // Only a confirmed id is unsubscribed; during an outage that happens when Redis is back.
        void id.then((n) => pubsub.unsubscribe(n), () => undefined);
      };
    },
    async close() {
      // QUIT waits behind queued commands while Redis is down: give it a moment, then drop the connections.
      await within(pubsub.close().catch(() => undefined), QUIT_WAIT_MS);
      for (const c of [publisher, subscriber]) if (c.status !== "end") c.disconnect();
    },
  };
}
