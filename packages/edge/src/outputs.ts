/**
 * Auxiliary outputs the server commands (an elevator hold relay, a sounder): on, off, or on for a
 * while. The output is an OSDP reader's output (osdp_OUT) or a point of the controller's own I/O,
 * driven through the same capability as a lock (`LockOutput`: released = energised). Each command
 * is carried out once, reported with its outcome; an expired one is reported and not carried out.
 */
import { defineEvent, type EventDraft } from '@vigil/core';
import type { Clock } from '@vigil/osdp';
import Type from 'typebox';
import type { LockOutput } from './io/types.js';
import type { OutputCommand } from './protocol.js';
import type { EventRecorder } from './recorder.js';
import type { AgentStore } from './store.js';

const closed = { additionalProperties: false } as const;

export const outputCommandExecuted = defineEvent(
  'output.command_executed',
  'A controller carried out (or refused) a command to drive an auxiliary output',
  Type.Object(
    {
      commandId: Type.String({ format: 'uuid' }),
      outputId: Type.String({ minLength: 1, maxLength: 128 }),
      action: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('pulse')]),
      pulseMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
      outcome: Type.Union([Type.Literal('executed'), Type.Literal('expired'), Type.Literal('unknown_output'), Type.Literal('failed')]),
      error: Type.Optional(Type.String({ maxLength: 500 })),
    },
    closed,
  ),
);

export interface AuxOutputsContext {
  readonly recorder: EventRecorder;
  readonly store: AgentStore;
  readonly clock: Clock;
  /** The output behind a command's target, or null when this controller has no such output. */
  readonly resolve: (reader: string | null, point: number) => LockOutput | null;
  /** The buffer could not be written (true) or could again (false). */
  readonly bufferFault: (failed: boolean, error?: unknown) => void;
}

export class AuxOutputs {
  /** Commands being written to hardware: a re-delivery meanwhile is not carried out twice. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly ctx: AuxOutputsContext) {}

  /** Carries the command out once; resolves after the outcome was recorded. */
  async execute(command: OutputCommand): Promise<void> {
    const { store, clock } = this.ctx;
    if (store.hasExecuted(command.id) || this.inFlight.has(command.id)) return;
    const output = this.ctx.resolve(command.reader, command.point);
    if (!output) return this.report(command, 'unknown_output');
    if (Date.parse(command.expiresAt) < clock.now()) return this.report(command, 'expired');
    this.inFlight.add(command.id);
    try {
      if (command.action === 'off') await output.engage();
      else await output.release(command.action === 'pulse' ? command.pulseMs : null);
      this.report(command, 'executed');
    } catch (error) {
      this.report(command, 'failed', (error as Error).message.slice(0, 500));
    } finally {
      this.inFlight.delete(command.id);
    }
  }

  private report(command: OutputCommand, outcome: 'executed' | 'expired' | 'unknown_output' | 'failed', error?: string): void {
    const envelope = this.ctx.recorder.envelope({ correlationId: command.id });
    const drafts: EventDraft[] = [
      outputCommandExecuted.draft(envelope, {
        commandId: command.id,
        outputId: command.outputId,
        action: command.action,
        pulseMs: command.pulseMs,
        outcome,
        ...(error === undefined ? {} : { error }),
      }),
    ];
    try {
      this.ctx.recorder.record(drafts, { commandId: command.id });
      this.ctx.bufferFault(false);
    } catch (error) {
      // Raised, not thrown: nothing above a command waits for it, and an unhandled rejection ends
      // the process. The command stays unmarked, so a re-delivery carries it out and reports again.
      this.ctx.bufferFault(true, error);
    }
  }
}
