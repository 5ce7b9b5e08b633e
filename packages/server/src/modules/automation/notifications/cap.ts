/**
 * CAP 1.2 (OASIS Common Alerting Protocol) for emergency plans: an `Alert` when a plan starts, a
 * `Cancel` referencing it when it clears, `Exercise` status for drills; and an Atom feed listing
 * them. Built as a DOM and serialised, so every value is escaped. CAP's `sent` carries a numeric
 * offset and no fractions (`2026-03-02T08:00:00+00:00`).
 */
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import type { Activation } from '../emergency/model.js';
import type { PlanKind } from '../tables.js';

const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const ATOM_NS = 'http://www.w3.org/2005/Atom';

export function capTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const KIND: Record<PlanKind, { event: string; category: string; response: string; severity: string; instruction: string }> = {
  fire: {
    event: 'Fire',
    category: 'Fire',
    response: 'Evacuate',
    severity: 'Extreme',
    instruction: 'Follow the fire plan: leave by the nearest exit; egress doors are released.',
  },
  lockdown: {
    event: 'Lockdown',
    category: 'Security',
    response: 'Shelter',
    severity: 'Severe',
    instruction: 'Stay where you are; doors are locked against entry and open for exit.',
  },
  code_pink: {
    event: 'Code Pink (infant abduction)',
    category: 'Security',
    response: 'Execute',
    severity: 'Severe',
    instruction: 'Cover the exits and stairwells of your unit; report any infant carried out.',
  },
  shelter_in_place: {
    event: 'Shelter in place',
    category: 'Safety',
    response: 'Shelter',
    severity: 'Severe',
    instruction: 'Stay indoors and away from windows until the all-clear.',
  },
};

export interface CapContext {
  readonly sender: string;
  readonly siteName: string;
  readonly planName: string;
  /** Buildings and zones the plan covers, for `areaDesc`. */
  readonly area: string;
  readonly doors: number;
}

export function capIdentifier(activation: Pick<Activation, 'id'>, cancel: boolean): string {
  return `vigil-${activation.id}${cancel ? '-clear' : ''}`;
}

function child(doc: Document, parent: Element, name: string, text?: string): Element {
  const el = doc.createElementNS(CAP_NS, name);
  if (text !== undefined) el.appendChild(doc.createTextNode(text));
  parent.appendChild(el);
  return el;
}

/** The CAP alert for an activation: the start (`Alert`), or its clearing (`Cancel`) once cleared. */
export function capAlert(activation: Activation, ctx: CapContext): string {
  const cancel = activation.state === 'cleared' || activation.state === 'cancelled';
  const kind = KIND[activation.kind];
  const started = activation.startedAt ?? activation.requestedAt;
  const sent = cancel ? (activation.clearedAt ?? started) : started;
  const doc = new DOMImplementation().createDocument(CAP_NS, 'alert', null);
  const alert = doc.documentElement!;
  child(doc, alert, 'identifier', capIdentifier(activation, cancel));
  child(doc, alert, 'sender', ctx.sender);
  child(doc, alert, 'sent', capTime(sent));
  child(doc, alert, 'status', activation.drill ? 'Exercise' : 'Actual');
  child(doc, alert, 'msgType', cancel ? 'Cancel' : 'Alert');
  child(doc, alert, 'source', 'Vigil');
  child(doc, alert, 'scope', 'Restricted');
  child(doc, alert, 'restriction', 'Hospital staff and security');
  if (activation.drill) child(doc, alert, 'note', 'DRILL — no doors were moved');
  if (cancel) child(doc, alert, 'references', `${ctx.sender},${capIdentifier(activation, false)},${capTime(started)}`);
  child(doc, alert, 'incidents', activation.id);
  const info = child(doc, alert, 'info');
  child(doc, info, 'language', 'en-US');
  child(doc, info, 'category', kind.category);
  child(doc, info, 'event', kind.event);
  child(doc, info, 'responseType', cancel ? 'AllClear' : kind.response);
  child(doc, info, 'urgency', cancel ? 'Past' : 'Immediate');
  child(doc, info, 'severity', kind.severity);
  child(doc, info, 'certainty', activation.drill ? 'Possible' : 'Observed');
  child(doc, info, 'effective', capTime(started));
  child(doc, info, 'senderName', `Vigil — ${ctx.siteName}`);
  child(doc, info, 'headline', `${activation.drill ? 'DRILL: ' : ''}${ctx.planName} ${cancel ? 'cleared' : 'in effect'}`);
  child(
    doc,
    info,
    'description',
    `${kind.event} plan “${ctx.planName}” ${cancel ? 'was cleared' : 'started'} on ${ctx.siteName}; ${ctx.doors} doors covered.`,
  );
  child(doc, info, 'instruction', cancel ? 'All clear: resume normal operations.' : kind.instruction);
  const parameter = child(doc, info, 'parameter');
  child(doc, parameter, 'valueName', 'planKind');
  child(doc, parameter, 'value', activation.kind);
  const area = child(doc, info, 'area');
  child(doc, area, 'areaDesc', ctx.area);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
}

export interface FeedEntry {
  readonly id: string;
  readonly title: string;
  readonly updated: string;
  readonly href: string;
}

/** An Atom feed whose entries link to the CAP alerts (the usual way CAP alerts are syndicated). */
export function capFeed(feed: { id: string; title: string; self: string; updated: string }, entries: readonly FeedEntry[]): string {
  const doc = new DOMImplementation().createDocument(ATOM_NS, 'feed', null);
  const root = doc.documentElement!;
  const add = (parent: Element, name: string, text?: string, attrs: Record<string, string> = {}) => {
    const el = doc.createElementNS(ATOM_NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.appendChild(doc.createTextNode(text));
    parent.appendChild(el);
    return el;
  };
  add(root, 'id', feed.id);
  add(root, 'title', feed.title);
  add(root, 'updated', feed.updated);
  add(root, 'link', undefined, { rel: 'self', href: feed.self });
  for (const e of entries) {
    const entry = add(root, 'entry');
    add(entry, 'id', e.id);
    add(entry, 'title', e.title);
    add(entry, 'updated', e.updated);
    add(entry, 'link', undefined, { rel: 'alternate', type: 'application/cap+xml', href: e.href });
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
}
