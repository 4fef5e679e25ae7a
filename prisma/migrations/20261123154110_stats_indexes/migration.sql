-- CreateIndex
CREATE INDEX "Execution_completedAt_idx" ON "Execution"("completedAt");

-- CreateIndex
CREATE INDEX "MetricSample_timestamp_idx" ON "MetricSample"("timestamp");

-- CreateIndex
CREATE INDEX "MetricSample_executionId_metric_timestamp_idx" ON "MetricSample"("executionId", "metric", "timestamp");

-- CreateIndex
CREATE INDEX "TaskAttempt_finishedAt_idx" ON "TaskAttempt"("finishedAt");
