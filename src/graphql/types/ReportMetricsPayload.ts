import { ValidationError } from "../../domain/errors.ts";
import { METRIC_LIMITS } from "../../domain/metrics/samples.ts";
import { reportMetrics } from "../../services/metrics.ts";
import { builder } from "../builder.ts";
import { MetricSampleInput } from "./MetricSampleInput.ts";

export const ReportMetricsPayload = builder.objectRef<{ accepted: number; executionIds: string[] }>("ReportMetricsPayload").implement({
  fields: (t) => ({
    accepted: t.exposeInt("accepted", { description: "Samples stored" }),
    started: t.prismaField({
      type: ["Execution"],
      description: "Executions that METRIC triggers started because of these samples",
      resolve: (query, p, _args, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: { id: { in: p.executionIds } }, orderBy: { createdAt: "asc" } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  reportMetrics: t.field({
    type: ReportMetricsPayload,
    description: `Stores metric samples (at most ${METRIC_LIMITS.maxSamplesPerCall}) and evaluates the METRIC triggers on them: each fires once per crossing of its condition`,
    errors: { types: [ValidationError] },
    args: { samples: t.arg({ type: [MetricSampleInput], required: true }) },
    resolve: (_root, { samples }, ctx) => reportMetrics(ctx, samples),
  }),
}));
