import { UUID_PATTERN } from "../domain/ids.ts";
import { FINISHED_EXECUTION_STATUSES } from "../domain/stats.ts";
import { GLOBAL_SCOPE, initialScopeState, parseRuleState } from "../domain/alerts/rules.ts";
import type { SqlClient } from "../infra/sql.ts";
import { eachItem, type SweepLog } from "./sweep.ts";
import { applyTransition, RULE_COLUMNS, saveRuleState, type AlertOutcome, type RuleRow } from "./alerts.ts";

// AlertRule.state holds one scope per execution a rule has seen, and is rewritten whole on every
// evaluation: without pruning it grows by one scope per execution forever. A scope goes once its
// execution has ended (or is gone): no sample will move it again. A firing one resolves first (its series
// ended, as Prometheus resolves a vanished series), so no alert stays FIRING for good.

/**
 * Prunes, from up to `limit` rules (SKIP LOCKED), the scopes of executions that ended before `endedBefore`
 * or no longer exist; resolves the alerts those scopes were firing. Returns the scopes pruned and the
 * outcome to publish after commit.
 */
export async function pruneEndedScopes(c: SqlClient, opts: { endedBefore: Date; now: Date; limit: number; log: SweepLog }): Promise<{ pruned: number; outcome: AlertOutcome }> {
  const { endedBefore, now, limit } = opts;
  const outcome: AlertOutcome = { triggered: [], updates: [] };
  const rules = await c.query<RuleRow & { ended: string[] }>(
    `SELECT ${RULE_COLUMNS}, ended.keys AS ended FROM "AlertRule" r
       CROSS JOIN LATERAL (
         SELECT array_agg(k) AS keys FROM jsonb_object_keys(r.state) k
          WHERE k ~ '${UUID_PATTERN}'
            AND NOT EXISTS (SELECT 1 FROM "Execution" e WHERE e.id = k::uuid
                             AND NOT (e.status = ANY($2::text[]::"ExecutionStatus"[]) AND e."completedAt" < $1))
       ) ended
      WHERE ended.keys IS NOT NULL
      ORDER BY r.id LIMIT $3 FOR UPDATE OF r SKIP LOCKED`,
    [endedBefore, [...FINISHED_EXECUTION_STATUSES], limit],
  );
  // Rule by rule under a savepoint (sweep.ts): one that fails is logged and never holds up the rest,
  // nor the deletions of the same round; only what committed is published.
  const done = await eachItem(rules, { sweep: "prune alert scopes", id: (r) => r.id, log: opts.log, c }, async (rule) => {
    const mine: AlertOutcome = { triggered: [], updates: [] };
    const all = parseRuleState(rule.state);
    let pruned = 0;
    for (const key of rule.ended) {
      const state = all[key];
      if (!state || key === GLOBAL_SCOPE) continue;
      if (state.firingAlertId)
        await applyTransition(c, rule, key, null, initialScopeState(), state, { kind: "resolve", at: now, value: state.lastValue ?? rule.threshold }, now, mine);
      delete all[key];
      pruned += 1;
    }
    await saveRuleState(c, rule.id, all);
    return [{ pruned, mine }];
  });
  for (const { mine } of done) {
    outcome.triggered.push(...mine.triggered);
    outcome.updates.push(...mine.updates);
  }
  return { pruned: done.reduce((n, d) => n + d.pruned, 0), outcome };
}
