import { OsdpError } from '../errors.js';

/** Reads a payload field by field, turning any overrun into `osdp.payload_invalid`. */
export class PayloadReader {
  private at = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.at;
  }

  u8(): number {
    if (this.at >= this.data.length) this.overrun(1);
    return this.data[this.at++] ?? 0;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u24(): number {
    return this.u16() | (this.u8() << 16);
  }

  u32(): number {
    return (this.u24() | (this.u8() << 24)) >>> 0;
  }

  bytes(count: number): Uint8Array {
    if (count > this.remaining) this.overrun(count);
    const out = this.data.slice(this.at, this.at + count);
    this.at += count;
    return out;
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  /** Asserts the payload has been read completely. */
  end(): void {
    if (this.remaining !== 0) {
      throw new OsdpError('osdp.payload_invalid', `${this.what}: ${this.remaining} unexpected trailing bytes`);
    }
  }

  private overrun(wanted: number): never {
    throw new OsdpError('osdp.payload_invalid', `${this.what}: payload too short`, {
      length: this.data.length,
      wanted,
      at: this.at,
    });
  }
}

export function expectLength(data: Uint8Array, length: number, what: string): void {
  if (data.length !== length) {
    throw new OsdpError('osdp.payload_invalid', `${what}: expected ${length} bytes, got ${data.length}`);
  }
}

export function expectMultiple(data: Uint8Array, record: number, what: string): number {
  if (data.length === 0 || data.length % record !== 0) {
    throw new OsdpError('osdp.payload_invalid', `${what}: length ${data.length} is not a multiple of ${record}`);
  }
  return data.length / record;
}

/** Collects bytes, validating each value so a caller mistake never reaches the wire silently. */
export class PayloadWriter {
  private readonly out: number[] = [];

  constructor(private readonly what: string) {}

  u8(value: number, field: string): this {
    this.check(value, 0xff, field);
    this.out.push(value);
    return this;
  }

  u16(value: number, field: string): this {
    this.check(value, 0xffff, field);
    this.out.push(value & 0xff, value >>> 8);
    return this;
  }

  u24(value: number, field: string): this {
    this.check(value, 0xffffff, field);
    this.out.push(value & 0xff, (value >>> 8) & 0xff, value >>> 16);
    return this;
  }

  u32(value: number, field: string): this {
    this.check(value, 0xffffffff, field);
    this.out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
    return this;
  }

  bytes(value: Uint8Array, field: string, length?: number): this {
    if (length !== undefined && value.length !== length) {
      throw new OsdpError('osdp.invalid_argument', `${this.what}.${field} must be ${length} bytes`);
    }
    for (const b of value) this.out.push(b);
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private check(value: number, max: number, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new OsdpError('osdp.invalid_argument', `${this.what}.${field} = ${value} is outside 0..${max}`);
    }
  }
}
