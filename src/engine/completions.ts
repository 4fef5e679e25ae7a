import type { Completion } from "../store/finish.ts";
import type { Claimed, ClaimedRun } from "../store/claim.ts";
import type { ExecutionUpdate } from "../domain/updates.ts";

interface Pending {
  completion: Completion;
  resolve: (updates: ExecutionUpdate[]) => void;
  reject: (err: unknown) => void;
}

const MAX_BATCH = 64;
/** Batches in flight at once: each commit waits on the disk, and PostgreSQL flushes concurrent commits together. */
const MAX_IN_FLIGHT = 4;

/**
 * Completed runs, recorded in batches (group commit): an end waits only while MAX_IN_FLIGHT batches
 * commit, so a lone end costs what it always did, and ends that arrive together share one transaction.
 * An execution is in one batch at a time, so its updates are published in the order they committed.
 * Each end learns its own execution's updates, published before it hears back. The runs a batch's
 * transaction claimed for the slots it freed start before the ends hear back, so a slot is never
 * counted free twice.
 */
export class CompletionBatcher {
  private pending: Pending[] = [];
  private inFlight = 0;
  private readonly busy = new Set<string>();

  constructor(
    private readonly deps: {
      record: (batch: Completion[]) => Promise<{ updates: ExecutionUpdate[]; claimed: Claimed }>;
      publish: (updates: readonly ExecutionUpdate[]) => Promise<void>;
      launch: (runs: readonly ClaimedRun[]) => void;
    },
  ) {}

  add(completion: Completion): Promise<ExecutionUpdate[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ completion, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT) {
      const batch: Pending[] = [];
      const executions = new Set<string>();
      this.pending = this.pending.filter((p) => {
        const id = p.completion.run.executionId;
        if (batch.length === MAX_BATCH || (this.busy.has(id) && !executions.has(id))) return true;
        batch.push(p);
        executions.add(id);
        return false;
      });
      if (batch.length === 0) return;
      this.inFlight += 1;
      for (const id of executions) this.busy.add(id);
      // One end that cannot be recorded must not cost the others theirs: a failed batch is retried end by end.
      void this.record(batch)
        .catch(async (err: unknown) => {
          if (batch.length === 1) return batch[0]!.reject(err); // already retried by record: nothing to split
          await Promise.all(batch.map((p) => this.record([p]).catch(p.reject)));
        })
        .finally(() => {
          this.inFlight -= 1;
          for (const id of executions) this.busy.delete(id);
          this.pump();
        });
    }
  }

  private async record(batch: Pending[]): Promise<void> {
    const { updates, claimed } = await this.deps.record(batch.map((p) => p.completion));
    await this.deps.publish(updates);
    // Their TASK_STARTED goes out ahead of anything the runs cause.
    const started = this.deps.publish(claimed.updates);
    this.deps.launch(claimed.runs);
    await started;
    for (const p of batch) p.resolve(updates.filter((u) => u.event.executionId === p.completion.run.executionId));
  }
}
