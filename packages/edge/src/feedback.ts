/**
 * What a person at the door sees and hears: green and a short beep on a grant, red and three
 * beeps on a refusal, flashing red and two long tones when the card's PIN attempts are locked
 * out, a blinking amber LED (and "ENTER PIN" on readers with a display) while a
 * PIN is expected. Commands are sent without waiting: feedback never delays the lock, and a
 * reader that refuses a command (no display, no buzzer) changes nothing else.
 */
import { CapabilityFunction, type Command } from '@vigil/osdp';
import type { ReaderHub } from './readers.js';

const RED = 1;
const GREEN = 2;
const AMBER = 3;
const SET_TEMPORARY = 2;
const CANCEL_TEMPORARY = 1;
const DEFAULT_TONE = 2;
const TEMPORARY_TEXT_NO_WRAP = 3;

export class ReaderFeedback {
  constructor(
    private readonly hub: ReaderHub,
    private readonly onError: (reader: string, error: unknown) => void = () => undefined,
  ) {}

  granted(reader: string): void {
    this.led(reader, GREEN, 0, 30);
    this.beep(reader, 2, 0, 1);
  }

  denied(reader: string): void {
    this.led(reader, RED, 0, 20);
    this.beep(reader, 2, 2, 3);
  }

  /** PIN attempts locked out: red flashing and two long tones, unlike a plain refusal, so the holder knows not to retry. */
  lockedOut(reader: string): void {
    this.led(reader, RED, 2, 40);
    this.beep(reader, 8, 3, 2);
  }

  promptPin(reader: string, timeoutSeconds: number): void {
    const tenths = Math.min(255, Math.round(timeoutSeconds * 10));
    this.led(reader, AMBER, 5, tenths);
    this.beep(reader, 1, 0, 1);
    if (this.hub.supports(reader, CapabilityFunction.READER_TEXT_OUTPUT)) {
      const number = this.hub.readerNumber(reader);
      this.send(reader, {
        type: 'text',
        reader: number,
        command: TEMPORARY_TEXT_NO_WRAP,
        tempTime: Math.min(255, Math.ceil(timeoutSeconds)),
        row: 1,
        column: 1,
        text: 'ENTER PIN',
      });
    }
  }

  /** Ends a PIN prompt without a verdict (a new card replaced it). */
  cancelPrompt(reader: string): void {
    const number = this.hub.readerNumber(reader);
    this.send(reader, {
      type: 'led',
      leds: [
        {
          reader: number,
          led: 0,
          temporary: { controlCode: CANCEL_TEMPORARY, onTime: 0, offTime: 0, onColor: 0, offColor: 0, timer: 0 },
          permanent: { controlCode: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 },
        },
      ],
    });
  }

  /** A temporary LED state: steady (`blink` 0) or blinking, for `tenths` × 100 ms, then back to the reader's idle state. */
  private led(reader: string, color: number, blink: number, tenths: number): void {
    if (!this.hub.supports(reader, CapabilityFunction.READER_LED_CONTROL)) return;
    const onTime = blink === 0 ? tenths : blink;
    this.send(reader, {
      type: 'led',
      leds: [
        {
          reader: this.hub.readerNumber(reader),
          led: 0,
          temporary: { controlCode: SET_TEMPORARY, onTime, offTime: blink, onColor: color, offColor: 0, timer: tenths },
          permanent: { controlCode: 0, onTime: 0, offTime: 0, onColor: 0, offColor: 0 },
        },
      ],
    });
  }

  private beep(reader: string, onTime: number, offTime: number, count: number): void {
    if (!this.hub.supports(reader, CapabilityFunction.READER_AUDIBLE_OUTPUT)) return;
    this.send(reader, { type: 'buz', reader: this.hub.readerNumber(reader), tone: DEFAULT_TONE, onTime, offTime, count });
  }

  private send(reader: string, command: Command): void {
    this.hub.send(reader, command).catch((error: unknown) => this.onError(reader, error));
  }
}
