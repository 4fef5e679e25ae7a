import { computeMetrics, computeProgress } from "../../domain/progress.ts";
import { locatedError, responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import { DomainError, ValidationError } from "../../domain/errors.ts";
import { monitorExecution } from "../../services/monitor.ts";
import type { ExecutionUpdate } from "../../domain/updates.ts";
import { builder } from "../builder.ts";
import { globalId, parseId } from "../ids.ts";
import { ExecutionStatusEnum } from "./enums.ts";
import { ExecutionEventType } from "./ExecutionEvent.ts";
import { ExecutionMessageType } from "./ExecutionMessage.ts";
import { MetricsType } from "./Metrics.ts";
import { ProgressType } from "./Progress.ts";
import { TaskSnapshotType } from "./TaskSnapshot.ts";

// Every field comes from the event's stored snapshot, so a replayed update equals the live one.
export const ExecutionUpdateType = builder.objectRef<ExecutionUpdate>("ExecutionUpdate").implement({
  description: "One state change of an execution as monitor streams it: its event, the messages it carried, and the execution as of that event (a replayed update equals the live one).",
  fields: (t) => ({
    executionId: t.id({ description: "The execution's global ID.", resolve: (u) => globalId("Execution", u.event.executionId) }),
    seq: t.int({ description: "The event's seq; pass the last one received as monitor(afterSeq:) to resume.", resolve: (u) => u.event.seq }),
    timestamp: t.field({
      type: "DateTime",
      description:
        "When the change happened: the moment the engine decided it (its clock once it held the execution's lock), inside the transaction that committed it. A latency measured from it (receive time − timestamp) includes the rest of that transaction, its commit, and the way to the subscriber.",
      resolve: (u) => u.event.timestamp,
    }),
    status: t.field({ type: ExecutionStatusEnum, description: "The execution's status right after the event.", resolve: (u) => u.event.status }),
    progress: t.field({ type: ProgressType, description: "Its progress as of the event.", resolve: (u) => computeProgress(u.event.stats, u.event.status, u.event.timestamp) }),
    metrics: t.field({ type: MetricsType, description: "Its metrics as of the event.", resolve: (u) => computeMetrics(u.event.stats, u.event.timestamp) }),
    currentTask: t.field({
      type: TaskSnapshotType,
      nullable: true,
      // Snapshots stored before the task itself was recorded have only its key: none then, rather than its state now.
      description: "The most recently started task still running, as of this update; null when none ran.",
      resolve: (u) => u.event.stats.currentRun ?? null,
    }),
    // Rows typed by us where Prisma types JSON columns as JsonValue: same data, narrower type.
    events: t.field({ type: [ExecutionEventType], description: "The event (always exactly one).", resolve: (u) => [u.event as never] }),
    messages: t.field({ type: [ExecutionMessageType], description: "The log lines recorded with the event; often none.", resolve: (u) => u.messages as never[] }),
  }),
});

builder.subscriptionFields((t) => ({
  monitor: t.field({
    type: ExecutionUpdateType,
    description:
      "Every update of an execution after afterSeq (default 0: the whole history), in seq order with no gap and no duplicate, then live ones; completes when the execution ends.",
    args: {
      executionId: t.arg.id({ required: true, description: "The execution's global ID (or bare UUID)." }),
      afterSeq: t.arg.int({ description: "Resume after this seq (e.g. the last one received); 0 or more, default 0." }),
    },
    subscribe: (_root, args, ctx, info) => {
      const afterSeq = args.afterSeq ?? 0;
      if (afterSeq < 0) throw new ValidationError("afterSeq", "must be 0 or more");
      const executionId = parseId("executionId", args.executionId, "Execution");
      return abortOnReturn(info, (signal) =>
        monitorExecution(ctx, { executionId, afterSeq, bufferSize: ctx.monitorBufferSize, idleBackfillMs: ctx.monitorIdleBackfillMs, signal }),
      );
    },
    resolve: (u) => u,
  }),
}));

/**
 * An unsubscribing client calls return() while the generator may be waiting for the next update;
 * aborting first makes it unwind (and drop its bus subscription) at once instead of at the next event.
 * A domain error the stream raises (the execution does not exist) is located at the field, as one raised
 * by subscribe() is: the same coded error, path and locations on every transport, and not logged as a failure.
 */
function abortOnReturn<T>(info: GraphQLResolveInfo, start: (signal: AbortSignal) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const gen = start(controller.signal);
  const located = (err: unknown) => Promise.reject(err instanceof DomainError ? locatedError(err, info.fieldNodes, responsePathAsArray(info.path)) : err);
  return {
    next: () => gen.next().catch(located),
    return: (value?: unknown) => {
      controller.abort();
      return gen.return(value as never);
    },
    throw: (err?: unknown) => {
      controller.abort();
      return gen.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
