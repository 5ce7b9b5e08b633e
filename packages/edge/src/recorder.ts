/**
 * Turns event drafts into the agent's wire events (a UUIDv7 id, the instant, the site, the agent
 * as source) and commits them to the store before anything acts on them.
 */
import { newId, type EventDraft } from '@vigil/core';
import type { Clock } from '@vigil/osdp';
import type { EdgeEvent } from './protocol.js';
import type { AgentStore, CommitOptions } from './store.js';

export class EventRecorder {
  constructor(
    private readonly store: AgentStore,
    private readonly siteId: string,
    /** `edge:<key id>`: the agent's stable identity, checked by the server on delivery. */
    readonly source: string,
    private readonly clock: Clock,
    private readonly recorded: () => void,
  ) {}

  toWire(draft: EventDraft, at = this.clock.now()): EdgeEvent {
    return {
      id: newId(),
      type: draft.type,
      at: new Date(at).toISOString(),
      site: draft.site ?? this.siteId,
      source: this.source,
      subject: draft.subject ?? null,
      zone: draft.zone ?? null,
      door: draft.door ?? null,
      correlationId: draft.correlationId ?? null,
      data: draft.data as Record<string, unknown>,
    };
  }

  /** Durably records events with what they changed; throws when the store cannot write. */
  record(drafts: readonly EventDraft[], options: CommitOptions = {}): EdgeEvent[] {
    const events = drafts.map((draft) => this.toWire(draft));
    this.store.commit(events, options);
    if (events.length > 0) this.recorded();
    return events;
  }

  /** The envelope fields every draft of this agent shares. */
  envelope(extra: { subject?: string | null; zone?: string | null; door?: string | null; correlationId?: string | null } = {}) {
    return { site: this.siteId, source: this.source, ...extra };
  }
}
