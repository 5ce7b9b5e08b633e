/**
 * Device sightings shared by the nodes of one shared-subscription group. With a shared
 * subscription the broker gives each node only its share of a device's messages, so a node on its
 * own would find a device silent that another node hears. Each node therefore publishes what it
 * heard since its last report — serial, instant of the last message, battery — to
 * `vigil/<group>/sightings/<client id>`, and merges what the others publish into its supervisor:
 * a device is overdue only when no node of the group heard it.
 *
 * Reports are small and need not be kept for a node that is down (it starts from its own
 * supervision again): they are published at QoS 1 and subscribed at QoS 0, without receiving
 * one's own (no local).
 */
import type { DeviceSupervisor } from './supervision.js';

export interface ReportedSighting {
  readonly serial: string;
  readonly kind: string;
  readonly supervisionSeconds: number | null;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly battery?: number;
}

const MAX_PER_REPORT = 5000;

export class SightingExchange {
  private readonly pending = new Map<string, ReportedSighting>();
  readonly filter: string;
  readonly topic: string;

  constructor(group: string, clientId: string) {
    this.filter = `vigil/${group}/sightings/+`;
    this.topic = `vigil/${group}/sightings/${clientId.replace(/[+#/]/g, '_')}`;
  }

  owns(topic: string): boolean {
    return topic.startsWith(this.filter.slice(0, -1));
  }

  /** A message this node handled. */
  record(serial: string, kind: string, supervisionSeconds: number | null, at: Date, battery: number | undefined): void {
    this.pending.set(serial, { serial, kind, supervisionSeconds, at: at.getTime(), ...(battery === undefined ? {} : { battery }) });
  }

  /** The reports to publish now (payloads of at most MAX_PER_REPORT sightings); empties the log. */
  drain(): string[] {
    const all = [...this.pending.values()];
    this.pending.clear();
    const reports: string[] = [];
    for (let i = 0; i < all.length; i += MAX_PER_REPORT) reports.push(JSON.stringify(all.slice(i, i + MAX_PER_REPORT)));
    return reports;
  }

  /** Merges another node's report; a malformed one is ignored. Returns how many sightings it held. */
  merge(payload: Uint8Array, supervisor: DeviceSupervisor): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
    } catch {
      return 0;
    }
    if (!Array.isArray(parsed)) return 0;
    let merged = 0;
    for (const item of parsed as Partial<ReportedSighting>[]) {
      if (typeof item?.serial !== 'string' || typeof item.kind !== 'string' || typeof item.at !== 'number' || !Number.isFinite(item.at))
        continue;
      const supervision = typeof item.supervisionSeconds === 'number' ? item.supervisionSeconds : null;
      const battery = typeof item.battery === 'number' ? item.battery : undefined;
      supervisor.heardElsewhere(item.serial, item.kind, supervision, new Date(item.at), battery);
      merged++;
    }
    return merged;
  }
}
