import type { Services } from "../services/context.ts";
import type { AuthState } from "../domain/auth.ts";

export interface GraphQLContext extends Services {
  /** Per-subscriber buffer bound for monitor(). */
  monitorBufferSize: number;
  /** How long monitor() waits for a live update before re-reading the event table. */
  monitorIdleBackfillMs: number;
  /** This process's LEASE_MS: a worker counts as alive while its heartbeat is younger than 3 × this. */
  leaseMs: number;
  /** AGING_STEP_MS (allocateResources ranks a client against waiting runs aged as the claim ages them). */
  agingStepMs: number;
  /** Who is asking (set per HTTP request, SSE stream and WebSocket operation by src/api/auth.ts). */
  auth: AuthState;
  /** Tells this API process about its own key changes at once (other processes hear them on the bus). */
  apiKeyEvents: { created(): void; revoked(id: string): void };
}
