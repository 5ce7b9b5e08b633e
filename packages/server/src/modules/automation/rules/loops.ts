/**
 * The static loop check: which event types each rule's actions can cause, and whether the enabled
 * rules (with the one being saved) then trigger each other in a cycle. A cycle is refused when the
 * rule is saved, with the rules that form it named; the engine's chain limit catches what the
 * static view cannot see.
 */
import { EMITTED_BY_ACTION } from '../events.js';
import { matchesType, typeMatcher, type TypeMatcher } from './predicates.js';
import type { Action, RuleDocument } from './schema.js';

export interface LoopNode {
  readonly id: string;
  readonly name: string;
  readonly siteId: string | null;
  readonly trigger: TypeMatcher;
  readonly emits: readonly string[];
}

const DOOR_ACTIONS = new Set(['lockDoor', 'unlockDoor', 'setDoorMode', 'lockZone', 'unlockZone']);

export function emittedBy(actions: readonly Action[], doorEvents: readonly string[]): string[] {
  const out = new Set<string>();
  for (const action of actions) {
    const kind = Object.keys(action)[0]!;
    if (kind === 'raiseAlarm') EMITTED_BY_ACTION.raiseAlarm.forEach((t) => out.add(t));
    else if (kind === 'startPlan') {
      EMITTED_BY_ACTION.startPlan.forEach((t) => out.add(t));
      doorEvents.forEach((t) => out.add(t));
    } else if (kind === 'notify' || kind === 'webhook') EMITTED_BY_ACTION.notify.forEach((t) => out.add(t));
    else if (DOOR_ACTIONS.has(kind)) doorEvents.forEach((t) => out.add(t));
  }
  return [...out];
}

export function loopNode(id: string, document: RuleDocument, doorEvents: readonly string[]): LoopNode {
  return {
    id,
    name: document.name,
    siteId: document.site,
    trigger: typeMatcher(document.trigger.event),
    emits: emittedBy(document.actions, doorEvents),
  };
}

/** Two rules can meet on one event: same site, or either applies everywhere. */
function sharesSite(a: LoopNode, b: LoopNode): boolean {
  return a.siteId === null || b.siteId === null || a.siteId === b.siteId;
}

function triggers(from: LoopNode, to: LoopNode): boolean {
  return sharesSite(from, to) && from.emits.some((type) => matchesType(to.trigger, type));
}

/** A cycle through `start` among `nodes` (start included), as the names along it; null when none. */
export function findCycle(start: LoopNode, nodes: readonly LoopNode[]): string[] | null {
  const all = [start, ...nodes.filter((n) => n.id !== start.id)];
  const path: LoopNode[] = [];
  const visited = new Set<string>();
  const visit = (node: LoopNode): string[] | null => {
    path.push(node);
    for (const next of all) {
      if (!triggers(node, next)) continue;
      if (next.id === start.id) return [...path.map((n) => n.name), start.name];
      if (visited.has(next.id)) continue;
      visited.add(next.id);
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    return null;
  };
  return visit(start);
}
