import { randomUUID } from "node:crypto";
import { decodeGlobalID } from "@pothos/plugin-relay";
import { createClient } from "graphql-ws";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBus, databaseNamespace } from "../src/infra/pubsub.ts";
import { createLogger } from "../src/infra/logger.ts";
import type { AlertMessage } from "../src/domain/alerts/message.ts";
import type { ApiKeyEvent } from "../src/domain/auth.ts";
import { revokeApiKey } from "../src/services/api-keys.ts";
import { query, subscribeWs } from "./helpers/clients.ts";
import { infra } from "./helpers/infra.ts";
import { modes, startInProcess, type InProcess } from "./helpers/inprocess.ts";
import { graphql } from "./__generated__/gql.ts";

// The bus is a fast path, never the record. Deployments sharing a Redis use channels of their own (a
// namespace derived from the database), and what a bus message announces is checked against the database
// before a client sees it or a session is closed: a forged message reaches no one.

const BusSetAlert = graphql(`
  mutation BusSetAlert($input: SetAlertInput!) {
    setAlert(input: $input) { __typename ... on AlertRule { id } ... on Error { message } }
  }
`);

const BusReport = graphql(`
  mutation BusReport($samples: [MetricSampleInput!]!) {
    reportMetrics(samples: $samples) { __typename ... on ReportMetricsPayload { accepted } ... on Error { message } }
  }
`);

const BusAlerts = graphql(`
  subscription BusAlerts {
    alertTriggered { id state value severity message }
  }
`);

const BusCreateKey = graphql(`
  mutation BusCreateKey($name: String!, $role: ApiRole!) {
    createApiKey(name: $name, role: $role) { __typename ... on CreateApiKeyPayload { secret apiKey { id } } ... on Error { message } }
  }
`);

/** Publishes on a deployment's bus as anyone with access to its Redis (or, embedded, to its process) could. */
async function forge(env: InProcess, embedded: boolean, topic: "alertTriggered" | "apiKeys", payload: unknown): Promise<void> {
  if (embedded) return env.services.bus.publish(topic, "*", payload as never);
  const redis = new Redis(infra().redisUrl);
  try {
    await redis.publish(`${await databaseNamespace(env.services.db.sql)}:${topic}:*`, JSON.stringify(payload));
  } finally {
    redis.disconnect();
  }
}

describe.skipIf(!infra().available)("two deployments on one Redis", () => {
  let a: InProcess;
  let b: InProcess;
  beforeAll(async () => void ([a, b] = await Promise.all([startInProcess({ startWorker: false }), startInProcess({ startWorker: false })])));
  afterAll(async () => void (await Promise.all([a?.stop(), b?.stop()])));

  it("have namespaces of their own, the same for every process of one database", async () => {
    const [nsA, nsB] = await Promise.all([databaseNamespace(a.services.db.sql), databaseNamespace(b.services.db.sql)]);
    expect(nsA).not.toBe(nsB);
    expect(await databaseNamespace(a.services.db.sql)).toBe(nsA);
    expect(nsA).toMatch(/^engine-[0-9a-f]{12}$/); // a hash: no host, user or password
  });

  it("see nothing of each other's messages on the same topic and key", async () => {
    const heard: ApiKeyEvent[] = [];
    const unsubscribe = await a.services.bus.subscribe("apiKeys", "*", (e) => heard.push(e));
    try {
      await b.services.bus.publish("apiKeys", "*", { kind: "revoked", id: "from-b" });
      await a.services.bus.publish("apiKeys", "*", { kind: "revoked", id: "from-a" }); // sent after b's: it arrives after it
      for (const end = Date.now() + 10_000; !heard.length && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual([{ kind: "revoked", id: "from-a" }]);
    } finally {
      await unsubscribe();
    }
  });
});

describe.skipIf(!infra().available)("a Redis bus just created", () => {
  it("subscribe() resolves once Redis has the subscription, though its first connection was still being set up", async () => {
    const namespace = `test-${randomUUID()}`;
    const probe = new Redis(infra().redisUrl);
    const bus = createRedisBus(infra().redisUrl, createLogger("silent", "bus-test"), namespace);
    try {
      const heard: ApiKeyEvent[] = [];
      await bus.subscribe("apiKeys", "*", (e) => heard.push(e)); // called before the bus's connection is up
      const [, subscribers] = (await probe.pubsub("NUMSUB", `${namespace}:apiKeys:*`)) as [string, number];
      expect(subscribers).toBe(1);
      await probe.publish(`${namespace}:apiKeys:*`, JSON.stringify({ kind: "created" }));
      for (const end = Date.now() + 5000; !heard.length && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual([{ kind: "created" }]);
    } finally {
      probe.disconnect();
      await bus.close();
    }
  });
});

describe.each(modes())("forged bus messages ($mode)", ({ embedded }) => {
  let env: InProcess;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(async () => env?.stop());

  it("a forged alert reaches no alertTriggered subscriber; an announced alert is streamed as the database has it", async () => {
    const rule = (await query(env.url, BusSetAlert, { input: { condition: { metric: "forge_probe", operator: "GT", threshold: 90 }, severity: "CRITICAL" } })).setAlert;
    if (rule.__typename !== "AlertRule") throw new Error(JSON.stringify(rule));
    const report = (value: number) => query(env.url, BusReport, { samples: [{ metric: "forge_probe", value }] });
    const live = subscribeWs(env.url, BusAlerts, {});
    try {
      await report(95); // fires the first alert
      const first = await env.services.db.prisma.alert.findFirstOrThrow({ where: { ruleId: decodeGlobalID(rule.id).id } });
      // Until the subscription is live, announce the stored alert again (as the engine did when it fired).
      while (!live.received.length) {
        await env.services.bus.publish("alertTriggered", "*", first as AlertMessage);
        await live.until((r) => r.length > 0, 200).catch(() => undefined);
      }

      const forged = { ...first, triggeredAt: new Date().toISOString(), resolvedAt: null, acknowledgedAt: null };
      await forge(env, embedded, "alertTriggered", { ...forged, id: randomUUID(), value: 99999, message: "forged" }); // no such alert
      await forge(env, embedded, "alertTriggered", { ...forged, severity: "INFO", value: 99999, message: "forged" }); // a real id, false facts
      await report(50);
      await report(96); // fires a second alert, announced after the forgeries
      await live.until((r) => r.some((x) => x.alertTriggered.value === 96));

      const stored = await env.services.db.prisma.alert.findMany({ where: { ruleId: decodeGlobalID(rule.id).id } });
      // What an alert fired with never changes (its state moves on to RESOLVED later).
      const truth = new Map(stored.map((s) => [s.id, { value: s.value, severity: s.severity, message: s.message }]));
      for (const { alertTriggered: got } of live.received) expect({ value: got.value, severity: got.severity, message: got.message }).toEqual(truth.get(decodeGlobalID(got.id).id));
      expect(live.received.map((r) => r.alertTriggered.message)).not.toContain("forged");
    } finally {
      await live.close();
    }
  });

  it("a forged API-key revocation closes nothing; a real one (heard on the bus) closes the key's sockets", async () => {
    const create = async (name: string, role: "ADMIN" | "VIEWER", key?: string) => {
      const r = (await query(env.url, BusCreateKey, { name, role }, { key })).createApiKey;
      if (r.__typename !== "CreateApiKeyPayload") throw new Error(JSON.stringify(r));
      return { id: decodeGlobalID(r.apiKey.id).id, secret: r.secret };
    };
    const admin = await create("admin", "ADMIN"); // open mode: the first key needs none, and switches keys on
    const [kept, revoked] = [await create("kept", "VIEWER", admin.secret), await create("revoked", "VIEWER", admin.secret)];
    const connect = async (secret: string) => {
      let closed: { code: number } | null = null;
      const client = createClient({ url: env.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined, connectionParams: { authorization: `Bearer ${secret}` } });
      const ended = new Promise<{ code: number }>((resolve) => client.on("closed", (e) => resolve((closed = e as { code: number }))));
      await new Promise<void>((resolve) => client.on("connected", () => resolve())); // tracked under its key from here
      return { client, ended, closed: () => closed };
    };
    const [ws1, ws2] = [await connect(kept.secret), await connect(revoked.secret)];
    try {
      await forge(env, embedded, "apiKeys", { kind: "revoked", id: kept.id });
      await revokeApiKey(env.services, revoked.id); // as another API process does: the row, then the bus message
      expect(await ws2.ended).toMatchObject({ code: 4401 });
      expect(ws1.closed()).toBeNull(); // the forgery, heard first, was checked first and closed nothing
      const plans = await new Promise<unknown>((resolve, reject) =>
        ws1.client.subscribe({ query: "{ plans(first: 1) { edges { cursor } } }" }, { next: resolve, error: reject, complete: () => undefined }),
      );
      expect(plans).toMatchObject({ data: { plans: { edges: [] } } });
    } finally {
      await Promise.all([ws1.client.dispose(), ws2.client.dispose()]);
    }
  });
});
