import { print } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Who calls: an API key sent as `Authorization: Bearer <key>` (graphql-ws: connectionParams.authorization). */
export interface As {
  key?: string;
}

const authHeader = (as?: As): Record<string, string> => (as?.key ? { authorization: `Bearer ${as.key}` } : {});

/** One GraphQL-over-HTTP request (POST, JSON). */
export async function request<T, V>(url: string, doc: TypedDocumentNode<T, V>, variables: V, as?: As): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", ...authHeader(as) },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  return (await res.json()) as GraphQLResponse<T>;
}

/** Like request, but fails the test on any GraphQL error. */
export async function query<T, V>(url: string, doc: TypedDocumentNode<T, V>, variables: V, as?: As): Promise<T> {
  const res = await request(url, doc, variables, as);
  if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export interface Subscription<T> {
  /** Every `next` payload in arrival order. */
  received: T[];
  /** Resolves when the server completes the stream; rejects on an error. */
  done: Promise<void>;
  /** Resolves once `received` satisfies the predicate. */
  until(predicate: (received: T[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function collector<T>() {
  const received: T[] = [];
  const waiters = new Set<() => void>();
  return {
    received,
    push(item: T) {
      received.push(item);
      for (const w of waiters) w();
    },
    until(predicate: (r: T[]) => boolean, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => predicate(received) && (waiters.delete(check), clearTimeout(timer), resolve());
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`condition not met in ${timeoutMs} ms; got ${received.length} items`))), timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** A subscription through the real graphql-ws client over WebSocket. */
export function subscribeWs<T, V>(url: string, doc: TypedDocumentNode<T, V>, variables: V, as?: As): Subscription<T> {
  const connectionParams = as?.key ? { authorization: `Bearer ${as.key}` } : undefined;
  const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams });
  const c = collector<T>();
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<T>({ query: print(doc), variables: variables as Record<string, unknown> }, {
      next: (msg) => (msg.errors ? reject(new Error(JSON.stringify(msg.errors))) : c.push(msg.data as T)),
      error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: resolve,
    });
  });
  done.catch(() => undefined);
  return { received: c.received, done, until: c.until, close: async () => void (await client.dispose()) };
}

/** A subscription over Server-Sent Events (GraphQL over SSE, distinct connections mode), with fetch. */
export function subscribeSse<T, V>(url: string, doc: TypedDocumentNode<T, V>, variables: V, as?: As): Subscription<T> {
  const abort = new AbortController();
  const c = collector<T>();
  const done = (async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", ...authHeader(as) },
      body: JSON.stringify({ query: print(doc), variables }),
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`SSE request failed: ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
        if (event === "complete") return;
        if (event === "next") {
          const msg = JSON.parse(data) as GraphQLResponse<T>;
          if (msg.errors?.length) throw new Error(JSON.stringify(msg.errors));
          c.push(msg.data as T);
        }
      }
    }
    throw new Error("SSE stream ended without a complete event");
  })();
  done.catch(() => undefined);
  return { received: c.received, done, until: c.until, close: async () => abort.abort() };
}
