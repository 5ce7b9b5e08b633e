import { NakCode } from '../constants.js';
import type { Command, Reply } from '../commands/types.js';
import { OsdpError } from '../errors.js';
import type { LinkEvent } from './types.js';

const POLL_REPLIES = new Set<Reply['type']>(['ack', 'raw', 'keypad', 'lstatr', 'istatr', 'ostatr']);

const EXPECTED: Partial<Record<Command['type'], Reply['type']>> = {
  lstat: 'lstatr',
  istat: 'istatr',
  ostat: 'ostatr',
  comset: 'com',
  id: 'pdid',
  cap: 'pdcap',
};

/** Whether `reply` is a legitimate answer to `command` once the PD is online. */
export function replyFits(command: Command, reply: Reply): boolean {
  if (reply.type === 'nak') return true;
  if (command.type === 'poll') return POLL_REPLIES.has(reply.type);
  return reply.type === (EXPECTED[command.type] ?? 'ack');
}

/** Events a valid online reply carries (card reads, key presses, status reports). */
export function replyEvents(address: number, command: Command, reply: Reply): LinkEvent[] {
  switch (reply.type) {
    case 'raw':
      return [
        {
          name: 'card',
          payload: { address, reader: reply.reader, format: reply.format, bitCount: reply.bitCount, data: reply.data },
        },
      ];
    case 'keypad':
      return [{ name: 'keypad', payload: { address, reader: reply.reader, keys: reply.keys } }];
    case 'lstatr':
      return [{ name: 'localStatus', payload: { address, tamper: reply.tamper, power: reply.power } }];
    case 'istatr':
      return [{ name: 'inputStatus', payload: { address, inputs: reply.inputs } }];
    case 'ostatr':
      return [{ name: 'outputStatus', payload: { address, outputs: reply.outputs } }];
    case 'nak':
      return [{ name: 'nak', payload: { address, command: command.type, error: reply.error } }];
    case 'ack':
    case 'busy':
    case 'pdid':
    case 'pdcap':
    case 'com':
    case 'ccrypt':
    case 'rmac_i':
      return [];
  }
}

export function nakError(command: Command, reply: Extract<Reply, { type: 'nak' }>): OsdpError {
  const name = Object.entries(NakCode).find(([, value]) => value === reply.error)?.[0] ?? 'UNKNOWN';
  return new OsdpError('osdp.nak', `${command.type} refused: NAK ${reply.error} (${name})`, {
    command: command.type,
    nak: reply.error,
  });
}
