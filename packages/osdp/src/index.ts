/**
 * @vigil/osdp: OSDP v2.2 for Node.js. Frame codec, CRC/checksum, secure channel (AES-128),
 * control panel and peripheral state machines, TCP and serial transports.
 */
export { OsdpError, OSDP_ERROR_CODES, isOsdpError } from './errors.js';
export type { OsdpErrorCode } from './errors.js';
export { BROADCAST_ADDRESS, CapabilityFunction, CommandCode, MARK, NakCode, ReplyCode, SCBK_DEFAULT, SOM, ScsType } from './constants.js';
export { bytesEqual, fromHex, toHex } from './bytes.js';
export { systemClock } from './clock.js';
export type { Clock, RandomSource } from './clock.js';
export { TypedEmitter } from './emitter.js';

export { checksum8, crc16 } from './frame/check.js';
export { encodeFrame, parseFrame, securityBlockHasMac } from './frame/frame.js';
export type { CheckMode, EncodeOptions, Frame, FrameFields, SecurityBlock } from './frame/frame.js';
export { DEFAULT_MAX_FRAME_LENGTH, FrameDecoder } from './frame/decoder.js';
export type { DecoderCounters, DecoderOutput, FrameDecoderOptions } from './frame/decoder.js';

export { decodeCommand, encodeCommand } from './commands/command-codec.js';
export { decodeReply, encodeReply } from './commands/reply-codec.js';
export type {
  BuzzerControl,
  Capability,
  CardRead,
  Command,
  CommandType,
  LedControl,
  LedPermanent,
  LedTemporary,
  OutputControl,
  Payload,
  PdIdentity,
  Reply,
  ReplyType,
  TextControl,
} from './commands/types.js';

export { clientCryptogram, deriveScbk, deriveSessionKeys, initialReplyMac, serverCryptogram } from './secure/keys.js';
export type { SessionKeys } from './secure/keys.js';
export { SecureSession, padData, unpadData } from './secure/session.js';
export type { Direction } from './secure/session.js';
export { openFrame, sealFrame } from './secure/seal.js';
export type { OpenedMessage } from './secure/seal.js';

export { ControlPanel } from './cp/control-panel.js';
export type { ControlPanelOptions } from './cp/control-panel.js';
export type {
  ControlPanelEvents,
  PdPhase,
  PeripheralConfig,
  PeripheralSecureConfig,
  PeripheralStats,
  PeripheralStatus,
} from './cp/types.js';

export { Peripheral } from './pd/peripheral.js';
export type {
  PeripheralEvents,
  PeripheralOptions,
  PeripheralSecureOptions,
  PeripheralStats as PeripheralEmulatorStats,
} from './pd/peripheral.js';
export { defaultCapabilities } from './pd/state.js';

export { BaseTransport } from './transport/transport.js';
export type { Transport } from './transport/transport.js';
export { MemoryTransport, createMemoryLink } from './transport/memory.js';

export { parsePcap, parseTrace } from './trace/trace.js';
export type { TraceFrame } from './trace/trace.js';
export { TcpClientTransport, TcpServerTransport } from './transport/tcp.js';
export type { TcpClientOptions, TcpServerOptions } from './transport/tcp.js';
export { SerialTransport } from './transport/serial.js';
export type { SerialPortLike, SerialPortSettings, SerialTransportOptions } from './transport/serial.js';
export { TraceReplayTransport } from './trace/replay.js';
