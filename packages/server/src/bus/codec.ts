/**
 * How an event travels on NATS: JSON of the envelope, on the subject `<prefix>.<site>.<type>`,
 * with the event id as the JetStream message id (Nats-Msg-Id) so a re-publish is deduplicated.
 */
import type { VigilEvent } from '@vigil/core';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Subject tokens may not contain `.`, `*`, `>` or whitespace; a site without one is `_`. */
export function siteToken(site: string | null): string {
  if (site === null || site === '') return '_';
  return site.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function subjectOf(prefix: string, event: Pick<VigilEvent, 'site' | 'type'>): string {
  return `${prefix}.${siteToken(event.site)}.${event.type}`;
}

/** `vigil.events` → `VIGIL_EVENTS`: stream names may not contain dots. */
export function streamNameOf(prefix: string): string {
  return prefix.toUpperCase().replace(/[^A-Z0-9_-]/g, '_');
}

export function encodeEvent(event: VigilEvent): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

export function decodeEvent(bytes: Uint8Array): VigilEvent {
  const raw = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  const text = (key: string): string => {
    const value = raw[key];
    if (typeof value !== 'string') throw new TypeError(`event field ${key} is not a string`);
    return value;
  };
  const nullable = (key: string): string | null => (raw[key] === null || raw[key] === undefined ? null : text(key));
  const at = new Date(text('at'));
  if (Number.isNaN(at.getTime())) throw new TypeError('event field at is not an instant');
  return {
    id: text('id'),
    type: text('type'),
    at,
    site: nullable('site'),
    source: text('source'),
    subject: nullable('subject'),
    zone: nullable('zone'),
    door: nullable('door'),
    correlationId: nullable('correlationId'),
    data: raw['data'] ?? {},
  };
}

/** Remembers the last `capacity` ids, oldest forgotten first (delivery dedup per node). */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}
