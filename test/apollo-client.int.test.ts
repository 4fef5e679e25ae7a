import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import WebSocket from "ws";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { isSubscriptionOperation, relayStylePagination } from "@apollo/client/utilities";
import { possibleTypes } from "../src/client/index.ts";
import { CSRF_HEADER } from "../src/api/csrf.ts";
import { startInProcess, modes, type InProcess } from "./helpers/inprocess.ts";

// Issue 16: Apollo Client as an application would set it up, against the real server: one client whose
// link is split by operation type, subscriptions over graphql-ws (GraphQLWsLink), everything else through
// PersistedQueryLink (hashed queries by GET with the CSRF header, mutations and retries by POST) and
// HttpLink; an InMemoryCache with the generated possibleTypes (fragments on the Error and Node interfaces)
// and relay-style pagination of plans (fetchMore with cursors). Records what went over HTTP to prove the
// hash-first protocol: a new document's hash alone (PERSISTED_QUERY_NOT_FOUND), then the retry with it,
// then the hash alone from there on.

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const CREATE_PLAN = gql`
  mutation ApolloCreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      __typename
      ... on Plan { id name }
      ... on Error { message }
    }
  }
`;
const SCHEDULE = gql`
  mutation ApolloScheduleExecution($input: ScheduleExecutionInput!) {
    scheduleExecution(input: $input) {
      __typename
      ... on Execution { id status }
      ... on Error { message }
    }
  }
`;
const PLANS_PAGE = gql`
  query ApolloPlansPage($first: Int!, $after: String) {
    plans(first: $first, after: $after) {
      edges { cursor node { id name } }
      pageInfo { endCursor hasNextPage }
    }
  }
`;
const NODE = gql`
  query ApolloNode($id: ID!) {
    node(id: $id) {
      __typename
      ... on Node { id }
      ... on Plan { name }
    }
  }
`;
const MONITOR = gql`
  subscription ApolloMonitor($executionId: ID!, $afterSeq: Int) {
    monitor(executionId: $executionId, afterSeq: $afterSeq) {
      executionId
      seq
      status
      progress { percentage completedTasks totalTasks }
      events { id seq type taskKey }
    }
  }
`;

type Sent = { operation?: string; method: string; query?: string; hash?: string; status: number; codes: (string | undefined)[] };
type Wire = { operationName?: string; query?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };
type Answer = { errors?: { extensions?: { code?: string } }[] };

type PlanResult = { createPlan: { __typename: string; id?: string; name?: string; message?: string } };
type ScheduleResult = { scheduleExecution: { __typename: string; id?: string; status?: string; message?: string } };
type PlansPage = { plans: { edges: { cursor: string; node: { id: string; name: string } }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
type Update = { monitor: { executionId: string; seq: number; status: string; progress: { percentage: number; completedTasks: number; totalTasks: number }; events: { seq: number; type: string; taskKey: string | null }[] } };

/** Resolves when `check` holds (polling), or fails after `ms`. */
async function eventually(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(modes())("Apollo Client: PersistedQueryLink + GraphQLWsLink, split by operation type ($mode)", ({ embedded }) => {
  let env: InProcess;
  let ws: WsClient | undefined;
  let client: ApolloClient | undefined;
  beforeAll(async () => void (env = await startInProcess({ embedded })));
  afterAll(async () => {
    client?.stop();
    await ws?.dispose();
    await env?.stop();
  });

  /** What an application would build; `sent` records every HTTP request and its answer. */
  function setUp() {
    const sent: Sent[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const method = (init?.method ?? "GET").toUpperCase();
      const url = new URL(input instanceof Request ? input.url : String(input));
      const param = (name: string) => url.searchParams.get(name) ?? undefined;
      const body: Wire =
        method === "GET"
          ? { operationName: param("operationName"), query: param("query"), extensions: JSON.parse(param("extensions") ?? "{}") as Wire["extensions"] }
          : (JSON.parse(String(init?.body)) as Wire);
      const res = await fetch(input, init);
      const answer = (await res.clone().json()) as Answer;
      sent.push({
        operation: body.operationName,
        method,
        query: body.query || undefined,
        hash: body.extensions?.persistedQuery?.sha256Hash,
        status: res.status,
        codes: (answer.errors ?? []).map((e) => e.extensions?.code),
      });
      return res;
    };
    ws = createWsClient({ url: env.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, retryAttempts: 0 });
    const http = ApolloLink.from([
      new PersistedQueryLink({ sha256, useGETForHashedQueries: true }),
      // A GET needs the CSRF header (src/api/csrf.ts); harmless on POST.
      new HttpLink({ uri: env.url, fetch: recordingFetch, headers: { [CSRF_HEADER]: "1" } }),
    ]);
    const link = ApolloLink.split(({ query }) => isSubscriptionOperation(query), new GraphQLWsLink(ws), http);
    const cache = new InMemoryCache({ possibleTypes, typePolicies: { Query: { fields: { plans: relayStylePagination() } } } });
    client = new ApolloClient({ link, cache });
    return { client, cache, sent };
  }

  it("creates plans, schedules an execution, pages through plans with fetchMore and monitors the run gap-free over graphql-ws", async () => {
    const { client, cache, sent } = setUp();
    const createPlan = async (input: Record<string, unknown>) => (await client.mutate<PlanResult>({ mutation: CREATE_PLAN, variables: { input } })).data!.createPlan;

    // A plan (the persisted-query round trip: hash, PERSISTED_QUERY_NOT_FOUND, retry with the document).
    const plan = await createPlan({
      name: "apollo-diamond",
      tasks: [
        { key: "a", handler: "noop" },
        { key: "b", handler: "sleep", input: { ms: 50 }, dependsOn: ["a"] },
        { key: "c", handler: "sleep", input: { ms: 50 }, dependsOn: ["a"] },
        { key: "d", handler: "noop", dependsOn: ["b", "c"] },
      ],
    });
    expect(plan).toMatchObject({ __typename: "Plan", id: expect.any(String), name: "apollo-diamond" });

    // A refusal matched through the Error interface (possibleTypes tells the cache CycleError implements it).
    const cycle = await createPlan({ name: "cyclic", tasks: [{ key: "a", handler: "noop", dependsOn: ["b"] }, { key: "b", handler: "noop", dependsOn: ["a"] }] });
    expect(cycle).toEqual({ __typename: "CycleError", message: expect.any(String) });
    expect(cycle.message).not.toBe("");

    // A fragment on the Node interface, written to the cache and read back from it alone.
    const node = await client.query({ query: NODE, variables: { id: plan.id } });
    expect(node.data).toEqual({ node: { __typename: "Plan", id: plan.id, name: "apollo-diamond" } });
    const cached = await client.query({ query: NODE, variables: { id: plan.id }, fetchPolicy: "cache-only" });
    expect(cached.data).toEqual(node.data);
    expect(cache.identify({ __typename: "Plan", id: plan.id })).toBe(`Plan:${plan.id}`);

    // Schedule it, then watch it over graphql-ws from the start (afterSeq 0 replays what came before).
    const scheduled = (await client.mutate<ScheduleResult>({ mutation: SCHEDULE, variables: { input: { planId: plan.id } } })).data!.scheduleExecution;
    expect(scheduled).toMatchObject({ __typename: "Execution", id: expect.any(String) });
    const executionId = scheduled.id!;
    const updates: Update["monitor"][] = [];
    const monitored = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`monitor did not complete; got seqs ${updates.map((u) => u.seq).join(",")}`)), 20_000);
      client.subscribe<Update>({ query: MONITOR, variables: { executionId, afterSeq: 0 } }).subscribe({
        next: (r) => {
          if (r.error) return reject(r.error);
          updates.push(r.data!.monitor);
        },
        error: (e: unknown) => (clearTimeout(timer), reject(e)),
        complete: () => (clearTimeout(timer), resolve()),
      });
    });

    // More plans, so that plans spans pages (8 plans, 3 a page: 3 + 3 + 2).
    const names = ["apollo-diamond"];
    for (let i = 0; i < 7; i++) {
      const more = await createPlan({ name: `apollo-${i}`, tasks: [{ key: "a", handler: "noop" }] });
      expect(more.__typename).toBe("Plan");
      names.push(more.name!);
    }

    const watched = client.watchQuery<PlansPage>({ query: PLANS_PAGE, variables: { first: 3 } });
    const results: PlansPage[] = [];
    const watching = watched.subscribe({ next: (r) => void (r.dataState === "complete" && results.push(r.data as PlansPage)) });
    try {
      await eventually(() => results.length > 0, "the first page");
      const pages = [results[0]!.plans.edges.length];
      expect(pages[0]).toBe(3);
      let current = results.at(-1)!;
      while (current.plans.pageInfo.hasNextPage) {
        const more = await watched.fetchMore<PlansPage>({ variables: { after: current.plans.pageInfo.endCursor } });
        pages.push(more.data!.plans.edges.length);
        // relayStylePagination merges each page into the cached connection.
        await eventually(() => results.at(-1)!.plans.edges.length === pages.reduce((a, b) => a + b, 0), "the merged page");
        current = results.at(-1)!;
        expect(pages.length).toBeLessThan(10);
      }
      expect(pages).toEqual([3, 3, 2]);
      const all = current.plans.edges;
      expect(new Set(all.map((e) => e.node.id)).size).toBe(8);
      expect(new Set(all.map((e) => e.cursor)).size).toBe(8);
      expect(all.map((e) => e.node.name).sort()).toEqual([...names].sort());
      expect(current.plans.pageInfo).toMatchObject({ hasNextPage: false, endCursor: all.at(-1)!.cursor });
    } finally {
      watching.unsubscribe();
    }

    // The run, as monitor streamed it: seqs 1..N in order without a gap, ending COMPLETED.
    await monitored;
    expect(updates.length).toBeGreaterThanOrEqual(10); // scheduled, started, 4 × (task started, completed), completed
    expect(updates.map((u) => u.seq)).toEqual(updates.map((_, i) => i + 1));
    for (const u of updates) {
      expect(u.executionId).toBe(executionId);
      expect(u.events.map((e) => e.seq)).toEqual([u.seq]);
    }
    expect(updates[0]!.events[0]!.type).toBe("EXECUTION_SCHEDULED");
    const last = updates.at(-1)!;
    expect(last.status).toBe("COMPLETED");
    expect(last.events.at(-1)!.type).toBe("EXECUTION_COMPLETED");
    expect(last.progress).toMatchObject({ percentage: 100, completedTasks: 4, totalTasks: 4 });
    expect(updates.filter((u) => u.events.some((e) => e.type === "TASK_COMPLETED")).map((u) => u.events[0]!.taskKey).sort()).toEqual(["a", "b", "c", "d"]);

    // The wire. The subscription never touched HTTP: it went over graphql-ws.
    expect(sent.map((s) => s.operation)).not.toContain("ApolloMonitor");
    const byOperation = (name: string) => sent.filter((s) => s.operation === name).map((s) => [s.method, s.query ? "document" : "hash", s.status, s.codes]);
    const newDocument = (method: string) => [
      [method, "hash", 404, ["PERSISTED_QUERY_NOT_FOUND"]],
      ["POST", "document", 200, []],
    ];
    const hashOnly = (method: string, times: number) => Array.from({ length: times }, () => [method, "hash", 200, []]);
    // createPlan: the first, then the cycle and the 7 more by hash alone.
    expect(byOperation("ApolloCreatePlan")).toEqual([...newDocument("POST"), ...hashOnly("POST", 8)]);
    expect(byOperation("ApolloScheduleExecution")).toEqual(newDocument("POST"));
    // Queries: hashed ones by GET (the CSRF header on), the retry with the document by POST.
    expect(byOperation("ApolloNode")).toEqual(newDocument("GET")); // the second read came from the cache
    expect(byOperation("ApolloPlansPage")).toEqual([...newDocument("GET"), ...hashOnly("GET", 2)]); // then 2 × fetchMore
    expect(sent).toHaveLength(10 + 2 + 2 + 4);
    // Each document sent is the one its hash names; one hash per operation.
    for (const s of sent.filter((s) => s.query)) expect(s.hash).toBe(sha256(s.query!));
    for (const name of ["ApolloCreatePlan", "ApolloScheduleExecution", "ApolloNode", "ApolloPlansPage"]) {
      expect(new Set(sent.filter((s) => s.operation === name).map((s) => s.hash)).size).toBe(1);
    }
  });
});
