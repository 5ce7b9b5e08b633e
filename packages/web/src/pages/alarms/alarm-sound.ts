/**
 * The alarm tone: short Web Audio beeps (no sound file to fail to load), a double tone for
 * priority 1 and a single one for priority 2, repeated while such an alarm waits unacknowledged.
 * Browsers start audio only after a user gesture on the page, so the first click or key press
 * anywhere unlocks it; until then the console says sound is blocked. Muting is remembered per
 * browser.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { needsAttention, type AlarmSummary } from './alarm-model.ts';

const MUTED_KEY = 'vigil.alarmSound.muted';
/** Seconds between repeats while an alarm waits, by priority. */
const REPEAT_MS: Record<number, number> = { 1: 5_000, 2: 10_000 };

export class AlarmTone {
  private context: AudioContext | null = null;

  /** Creates or resumes the audio context; call from a user gesture. */
  unlock(): Promise<boolean> {
    this.context ??= new AudioContext();
    if (this.context.state === 'running') return Promise.resolve(true);
    return this.context.resume().then(
      () => this.ready,
      () => false,
    );
  }

  get ready(): boolean {
    return this.context?.state === 'running';
  }

  /** Plays the tone for a priority; false when audio is not unlocked yet. */
  play(priority: number): boolean {
    const context = this.context;
    if (!context || context.state !== 'running') return false;
    const tones = priority <= 1 ? [988, 740, 988] : [880];
    let start = context.currentTime;
    for (const frequency of tones) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'square';
      oscillator.frequency.value = frequency;
      // A short attack and release: a click-free beep that cuts through a noisy room.
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(0.2, start + 0.01);
      gain.gain.setValueAtTime(0.2, start + 0.16);
      gain.gain.linearRampToValueAtTime(0, start + 0.18);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.2);
      start += 0.24;
    }
    return true;
  }

  close(): void {
    void this.context?.close();
    this.context = null;
  }
}

export interface AlarmSoundState {
  muted: boolean;
  /** Audio is unlocked (a gesture happened); false means the browser still blocks it. */
  ready: boolean;
  toggleMuted: () => void;
  enable: () => void;
}

/** Sounds for the alarms that need attention: at once for a new one, then repeated until acknowledged. */
export function useAlarmSound(alarms: readonly AlarmSummary[]): AlarmSoundState {
  const tone = useRef<AlarmTone | null>(null);
  const [muted, setMuted] = useState(() => localStorage.getItem(MUTED_KEY) === 'true');
  const [ready, setReady] = useState(false);
  const heard = useRef(new Set<string>());
  const lastPlayed = useRef(0);

  const enable = useCallback(() => {
    tone.current ??= new AlarmTone();
    void tone.current.unlock().then(setReady);
  }, []);

  useEffect(() => {
    // A gesture before this screen opened (the sign-in) already lets the page play sound.
    if (navigator.userActivation?.hasBeenActive) enable();
    const onGesture = () => enable();
    document.addEventListener('pointerdown', onGesture, { capture: true });
    document.addEventListener('keydown', onGesture, { capture: true });
    return () => {
      document.removeEventListener('pointerdown', onGesture, { capture: true });
      document.removeEventListener('keydown', onGesture, { capture: true });
      tone.current?.close();
      tone.current = null;
    };
  }, [enable]);

  const waiting = alarms.filter(needsAttention);
  const urgent = waiting.reduce((best, a) => Math.min(best, a.priority), Infinity);
  const fresh = waiting.some((a) => !heard.current.has(a.id));
  const waitingIds = waiting.map((a) => a.id).join(',');

  useEffect(() => {
    if (waitingIds === '') return;
    const play = () => {
      if (muted || !tone.current?.play(urgent)) return;
      lastPlayed.current = Date.now();
      for (const id of waitingIds.split(',')) heard.current.add(id);
    };
    if (fresh || Date.now() - lastPlayed.current >= (REPEAT_MS[urgent] ?? 10_000)) play();
    const timer = setInterval(play, REPEAT_MS[urgent] ?? 10_000);
    return () => clearInterval(timer);
  }, [waitingIds, urgent, fresh, muted, ready]);

  const toggleMuted = useCallback(() => {
    setMuted((previous) => {
      localStorage.setItem(MUTED_KEY, String(!previous));
      return !previous;
    });
  }, []);

  return { muted, ready, toggleMuted, enable };
}
