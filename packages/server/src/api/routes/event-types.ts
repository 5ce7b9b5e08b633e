/**
 * The event types this server knows: the catalogue the intake validates every event against, so
 * the journal filter and the rule editor offer only types that can actually occur.
 */
import Type from 'typebox';
import type { Api } from '../server.js';
import { closed } from './route-helpers.js';

export interface EventTypeInfo {
  readonly type: string;
  readonly description: string;
}

const EventTypeSchema = Type.Object(
  {
    type: Type.String({ description: 'The event type (`door.forced_open`).' }),
    domain: Type.String({ description: 'The part before the first dot (`door`), for grouping a picker.' }),
    description: Type.String(),
  },
  closed,
);

/** `types` is read on every request, so modules registered later (or reloaded) are included. */
export function eventTypeRoutes(types: () => readonly EventTypeInfo[]) {
  return (app: Api) => {
    app.get(
      '/api/event-types',
      {
        // Whoever searches the journal or writes rules needs the list; both roles hold journal.read.
        config: { access: { permission: 'journal.read' } },
        schema: {
          tags: ['journal'],
          summary: 'The event types the server records, with what each means',
          response: { 200: Type.Object({ items: Type.Array(EventTypeSchema) }, closed) },
        },
      },
      () =>
        Promise.resolve({
          items: [...types()]
            .map((t) => ({ type: t.type, domain: t.type.slice(0, t.type.indexOf('.')), description: t.description }))
            .sort((a, b) => a.type.localeCompare(b.type)),
        }),
    );
  };
}
