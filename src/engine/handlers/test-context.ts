import type { HandlerContext } from "./define.ts";

/** A handler context for unit tests: inert callbacks, overridable field by field. */
export const testContext = (over: Partial<HandlerContext> = {}): HandlerContext => ({
  signal: new AbortController().signal,
  attempt: 1,
  executionId: "exec-1",
  execution: { id: "exec-1", planId: "plan-1", priority: "NORMAL", params: null },
  task: { key: "t", name: "t" },
  params: null,
  dependencies: {},
  paused: false,
  progress: () => {},
  metric: () => {},
  log: () => {},
  state: null,
  checkpoint: async () => {},
  resources: [],
  ...over,
});
