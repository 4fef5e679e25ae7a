import { builder } from "../builder.ts";

/** The `workers` query returns at most this many rows, newest heartbeat first. */
export const MAX_WORKERS_LISTED = 200;
/** A worker is alive while its last heartbeat is younger than this many leases (of the API's LEASE_MS). */
export const ALIVE_LEASES = 3;

export const WorkerType = builder.prismaObject("Worker", {
  description: "A worker process as it last reported itself (registered at start, updated on each heartbeat).",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The id that leases, attempts and TASK_STARTED events name (hostname:pid:random); not a global ID." }),
    hostname: t.exposeString("hostname", { description: "Host it runs on." }),
    pid: t.exposeInt("pid", { description: "Its process id on that host." }),
    concurrency: t.exposeInt("concurrency", { description: "Task runs it runs at once at most." }),
    running: t.exposeInt("running", { description: "Task runs in progress at its last heartbeat." }),
    startedAt: t.expose("startedAt", { type: "DateTime", description: "When it registered." }),
    lastHeartbeatAt: t.expose("lastHeartbeatAt", { type: "DateTime", description: "When it last reported itself." }),
    stoppedAt: t.expose("stoppedAt", { type: "DateTime", nullable: true, description: "Set when it shut down gracefully; a crashed worker just stops heartbeating." }),
    alive: t.boolean({
      description: `Not stopped, and a heartbeat within the last ${ALIVE_LEASES} × LEASE_MS (as configured for this API; default 30000 ms).`,
      resolve: (w, _args, ctx) => w.stoppedAt === null && ctx.clock().getTime() - w.lastHeartbeatAt.getTime() <= ALIVE_LEASES * ctx.leaseMs,
    }),
  }),
});

builder.queryFields((t) => ({
  workers: t.prismaField({
    type: [WorkerType],
    description: `Registered workers, newest heartbeat first (at most ${MAX_WORKERS_LISTED}). Crashed workers stay listed with alive: false until their rows are pruned a day after their last heartbeat.`,
    args: { includeStopped: t.arg.boolean({ defaultValue: false, description: "Also list workers that shut down gracefully (default false)." }) },
    resolve: (query, _root, args, ctx) =>
      ctx.db.prisma.worker.findMany({
        ...query,
        where: args.includeStopped ? {} : { stoppedAt: null },
        orderBy: [{ lastHeartbeatAt: "desc" }, { id: "asc" }],
        take: MAX_WORKERS_LISTED,
      }),
  }),
}));
