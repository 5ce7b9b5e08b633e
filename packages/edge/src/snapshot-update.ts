/**
 * Taking a snapshot from the server: verify (signature, format, not older than the running one),
 * carry the rule state over, store snapshot and state with the `edge.snapshot_applied`
 * event in one transaction, and only then run it. A snapshot that fails is reported once as
 * `edge.snapshot_rejected`, raises the `snapshot_rejected` health alarm, and changes nothing.
 */
import { isVigilError, persistState } from '@vigil/core';
import { snapshotApplied, snapshotRejected } from './events.js';
import type { AgentHealth } from './health.js';
import type { PolicyRuntime } from './policy.js';
import type { EventRecorder } from './recorder.js';

export type SnapshotOutcome =
  | { readonly status: 'applied'; readonly version: number; readonly previousVersion: number | null }
  | { readonly status: 'unchanged'; readonly version: number }
  | { readonly status: 'rejected'; readonly code: string };

export interface SnapshotUpdateContext {
  readonly policy: PolicyRuntime;
  readonly recorder: EventRecorder;
  readonly health: AgentHealth;
}

export function applySnapshot(ctx: SnapshotUpdateContext, bytes: Uint8Array, announcedVersion: number | null): SnapshotOutcome {
  const { policy, recorder, health } = ctx;
  const running = policy.version;
  let prepared: ReturnType<PolicyRuntime['prepare']>;
  try {
    prepared = policy.prepare(bytes);
  } catch (error) {
    const code = isVigilError(error) ? error.code : 'access.snapshot_malformed';
    health.setAlarm('snapshot_rejected', true, code);
    try {
      recorder.record([snapshotRejected.draft(recorder.envelope(), { code, version: announcedVersion, runningVersion: running })]);
    } catch (writeError) {
      health.setAlarm('buffer_unavailable', true, writeError);
    }
    return { status: 'rejected', code };
  }
  if (!prepared) return { status: 'unchanged', version: running! };
  const version = prepared.snapshot.version;
  try {
    recorder.record([snapshotApplied.draft(recorder.envelope(), { version, previousVersion: running })], {
      meta: policy.storedForm(bytes),
      state: persistState(prepared.state),
    });
  } catch (error) {
    // Not stored means not run: after a restart the agent would come back on the old one.
    health.setAlarm('buffer_unavailable', true, error);
    return { status: 'rejected', code: 'agent.buffer_unavailable' };
  }
  policy.install(prepared);
  health.setAlarm('snapshot_rejected', false);
  return { status: 'applied', version, previousVersion: running };
}
