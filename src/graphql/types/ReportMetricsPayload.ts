import { ValidationError } from "../../domain/errors.ts";
import { METRIC_LIMITS } from "../../domain/metrics/samples.ts";
import { reportMetrics } from "../../services/metrics.ts";
import { builder } from "../builder.ts";
import { MetricSampleInput } from "./MetricSampleInput.ts";

export const ReportMetricsPayload = builder.objectRef<{ accepted: number; executionIds: string[] }>("ReportMetricsPayload").implement({
  description: "What reportMetrics stored and started.",
  fields: (t) => ({
    accepted: t.exposeInt("accepted", { description: "Samples stored." }),
    started: t.prismaField({
      type: ["Execution"],
      description: "Executions that METRIC triggers started because of these samples, oldest first.",
      resolve: (query, p, _args, ctx) => ctx.db.prisma.execution.findMany({ ...query, where: { id: { in: p.executionIds } }, orderBy: { createdAt: "asc" } }),
    }),
  }),
});

builder.mutationFields((t) => ({
  reportMetrics: t.field({
    type: ReportMetricsPayload,
    description: `Stores metric samples (at most ${METRIC_LIMITS.maxSamplesPerCall}, in no execution's scope) and evaluates the enabled METRIC triggers and alert rules on them: a trigger fires once per crossing of its condition. Needs role OPERATOR.`,
    errors: { types: [ValidationError] },
    args: { samples: t.arg({ type: [MetricSampleInput], required: true, description: `The samples, in any order (evaluated in time order), at most ${METRIC_LIMITS.maxSamplesPerCall}.` }) },
    resolve: (_root, { samples }, ctx) => reportMetrics(ctx, samples),
  }),
}));
