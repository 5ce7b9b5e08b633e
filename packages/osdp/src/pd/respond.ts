import { CapabilityFunction, NakCode } from '../constants.js';
import type { Capability, Command, PdIdentity, Reply } from '../commands/types.js';
import type { PendingReport } from './state.js';
import { capabilityCount } from './state.js';

/** The application-level state a PD answers from. */
export interface PeripheralModel {
  readonly identity: PdIdentity;
  readonly capabilities: readonly Capability[];
  localStatus: { tamper: boolean; power: boolean };
  inputs: number[];
  outputs: number[];
  readonly reports: PendingReport[];
}

export function nak(error: number): Reply {
  return { type: 'nak', error, details: new Uint8Array(0) };
}

/** What the PD replies to a non-security command, and the application side effects. */
export function respond(model: PeripheralModel, command: Command): Reply {
  switch (command.type) {
    case 'poll':
      return model.reports.shift() ?? { type: 'ack' };
    case 'id':
      return { type: 'pdid', ...model.identity };
    case 'cap':
      return { type: 'pdcap', capabilities: [...model.capabilities].sort((a, b) => a.function - b.function) };
    case 'lstat':
      return { type: 'lstatr', ...model.localStatus };
    case 'istat':
      return { type: 'istatr', inputs: [...model.inputs] };
    case 'ostat':
      return { type: 'ostatr', outputs: [...model.outputs] };
    case 'out': {
      for (const o of command.outputs) {
        if (o.output >= model.outputs.length) return nak(NakCode.UNABLE_TO_PROCESS);
      }
      for (const o of command.outputs) {
        if (o.controlCode === 1 || o.controlCode === 3 || o.controlCode === 6) model.outputs[o.output] = 0;
        if (o.controlCode === 2 || o.controlCode === 4 || o.controlCode === 5) model.outputs[o.output] = 1;
      }
      return { type: 'ack' };
    }
    case 'led': {
      const leds = capabilityCount(model.capabilities, CapabilityFunction.READER_LED_CONTROL) ?? 0;
      if (command.leds.some((l) => l.led >= leds)) return nak(NakCode.UNABLE_TO_PROCESS);
      return { type: 'ack' };
    }
    case 'buz': {
      const buzzers = capabilityCount(model.capabilities, CapabilityFunction.READER_AUDIBLE_OUTPUT) ?? 0;
      return buzzers > 0 ? { type: 'ack' } : nak(NakCode.UNKNOWN_COMMAND);
    }
    case 'text': {
      const displays = capabilityCount(model.capabilities, CapabilityFunction.READER_TEXT_OUTPUT) ?? 0;
      return displays > 0 ? { type: 'ack' } : nak(NakCode.UNKNOWN_COMMAND);
    }
    case 'comset':
      return { type: 'com', address: command.address, baudRate: command.baudRate };
    case 'keyset':
    case 'chlng':
    case 'scrypt':
      // Security commands are handled by the secure-channel layer before reaching here.
      return nak(NakCode.SECURITY_CONDITION);
  }
}
