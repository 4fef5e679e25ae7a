import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { RedisPubSub } from "graphql-redis-subscriptions";
import { decodeUpdate, encodeUpdate, type ExecutionUpdate } from "../services/updates.ts";
import type { Logger } from "./logger.ts";

// One typed topic map for api and worker. Each topic is keyed (e.g. by execution id), so a
// subscriber only receives its own key's messages; each topic says how it crosses the wire.
interface TopicCodec<T> {
  encode(payload: T): string;
  decode(raw: string): T;
}

export const topics = {
  executionUpdate: { encode: encodeUpdate, decode: decodeUpdate } satisfies TopicCodec<ExecutionUpdate>,
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
      const raw = topics[topic].encode(payload);
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

/** Redis pub/sub through graphql-redis-subscriptions over ioredis. */
export function createRedisBus(url: string, log: Logger): Bus {
  // The publisher fails fast while Redis is down (the worker must not stall; subscribers backfill from
  // the table); the subscriber queues its SUBSCRIBEs until Redis is back.
  const connect = (role: "publisher" | "subscriber") => {
    const client = new Redis(url, role === "publisher" ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 } : { maxRetriesPerRequest: null });
    // Without a listener an ioredis error event is an uncaught exception.
    client.on("error", (err: Error) => log.warn({ err: err.message, role }, "redis connection error"));
    return client;
  };
  const pubsub = new RedisPubSub({
    publisher: connect("publisher"),
    subscriber: connect("subscriber"),
    // Payloads are already encoded strings: pass them through untouched.
    serializer: (s: unknown) => s as string,
    deserializer: (s: string | Buffer) => s.toString(),
  });
  return {
    async publish(topic, key, payload) {
      await pubsub.publish(channel(topic, key), topics[topic].encode(payload));
    },
    async subscribe(topic, key, onMessage) {
      const id = await pubsub.subscribe<string>(channel(topic, key), (raw) => {
        try {
          onMessage(topics[topic].decode(raw) as never);
        } catch (err) {
          log.warn({ err: (err as Error).message, topic }, "dropping undecodable message");
        }
      });
      return async () => pubsub.unsubscribe(id);
    },
    async close() {
      await pubsub.close().catch(() => undefined);
    },
  };
}
