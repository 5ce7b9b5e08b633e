/** Typed payloads of the OSDP commands (CP to PD) and replies (PD to CP) this library speaks. */

export interface OutputControl {
  /** Output number, 0-based. */
  readonly output: number;
  /** 0 NOP, 1 permanent off, 2 permanent on, 3 permanent off after timer, 4 permanent on after timer, 5 temporary on, 6 temporary off. */
  readonly controlCode: number;
  /** Timer in units of 100 ms. */
  readonly timer: number;
}

export interface LedTemporary {
  /** 0 NOP, 1 cancel temporary, 2 set temporary and start timer. */
  readonly controlCode: number;
  /** On and off times in units of 100 ms. */
  readonly onTime: number;
  readonly offTime: number;
  /** 0 black, 1 red, 2 green, 3 amber, 4 blue, 5 magenta, 6 cyan, 7 white. */
  readonly onColor: number;
  readonly offColor: number;
  /** Duration of the temporary state in units of 100 ms. */
  readonly timer: number;
}

export interface LedPermanent {
  /** 0 NOP, 1 set permanent state. */
  readonly controlCode: number;
  readonly onTime: number;
  readonly offTime: number;
  readonly onColor: number;
  readonly offColor: number;
}

export interface LedControl {
  readonly reader: number;
  readonly led: number;
  readonly temporary: LedTemporary;
  readonly permanent: LedPermanent;
}

export interface BuzzerControl {
  readonly reader: number;
  /** 0 NOP, 1 off, 2 default tone. */
  readonly tone: number;
  /** On and off times in units of 100 ms. */
  readonly onTime: number;
  readonly offTime: number;
  /** Number of cycles; 0 means until told otherwise. */
  readonly count: number;
}

export interface TextControl {
  readonly reader: number;
  /** 1 permanent no wrap, 2 permanent wrap, 3 temporary no wrap, 4 temporary wrap. */
  readonly command: number;
  /** Duration of temporary text in seconds. */
  readonly tempTime: number;
  readonly row: number;
  readonly column: number;
  /** Printable ASCII. */
  readonly text: string;
}

export type Command =
  | { readonly type: 'poll' }
  | { readonly type: 'id'; readonly reportType?: number }
  | { readonly type: 'cap'; readonly reportType?: number }
  | { readonly type: 'lstat' }
  | { readonly type: 'istat' }
  | { readonly type: 'ostat' }
  | { readonly type: 'out'; readonly outputs: readonly OutputControl[] }
  | { readonly type: 'led'; readonly leds: readonly LedControl[] }
  | ({ readonly type: 'buz' } & BuzzerControl)
  | ({ readonly type: 'text' } & TextControl)
  | { readonly type: 'comset'; readonly address: number; readonly baudRate: number }
  | { readonly type: 'keyset'; readonly keyType: number; readonly key: Uint8Array }
  | { readonly type: 'chlng'; readonly rndA: Uint8Array }
  | { readonly type: 'scrypt'; readonly cryptogram: Uint8Array };

export type CommandType = Command['type'];

export interface PdIdentity {
  /** IEEE OUI, the three wire bytes read little-endian. */
  readonly vendorCode: number;
  readonly model: number;
  readonly version: number;
  readonly serialNumber: number;
  readonly firmware: { readonly major: number; readonly minor: number; readonly build: number };
}

export interface Capability {
  readonly function: number;
  readonly compliance: number;
  readonly count: number;
}

export interface CardRead {
  readonly reader: number;
  /** 0 raw/unspecified, 1 Wiegand. */
  readonly format: number;
  readonly bitCount: number;
  /** Card bits, MSB first, padded with zero bits to whole bytes. */
  readonly data: Uint8Array;
}

export type Reply =
  | { readonly type: 'ack' }
  | { readonly type: 'nak'; readonly error: number; readonly details: Uint8Array }
  | { readonly type: 'busy' }
  | ({ readonly type: 'pdid' } & PdIdentity)
  | { readonly type: 'pdcap'; readonly capabilities: readonly Capability[] }
  | { readonly type: 'lstatr'; readonly tamper: boolean; readonly power: boolean }
  | { readonly type: 'istatr'; readonly inputs: readonly number[] }
  | { readonly type: 'ostatr'; readonly outputs: readonly number[] }
  | ({ readonly type: 'raw' } & CardRead)
  | { readonly type: 'keypad'; readonly reader: number; readonly keys: Uint8Array }
  | { readonly type: 'com'; readonly address: number; readonly baudRate: number }
  | { readonly type: 'ccrypt'; readonly cUid: Uint8Array; readonly rndB: Uint8Array; readonly cryptogram: Uint8Array }
  | { readonly type: 'rmac_i'; readonly rmac: Uint8Array };

export type ReplyType = Reply['type'];

/** A command or reply reduced to its code and plain payload. */
export interface Payload {
  readonly code: number;
  readonly data: Uint8Array;
}
