/**
 * Who did something, in words. The server records actors as `kind:id` (`operator:…`, `rule:…`,
 * `plan:…`, `system:…`); the console names the signed-in operator "you" and, for those allowed to
 * list operators, every other operator by name.
 */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { allPages } from '../api/client.ts';
import { useSession } from '../shell/session.tsx';

interface OperatorName {
  id: string;
  username: string;
  displayName: string;
}

const KIND_WORDS: Record<string, string> = { rule: 'rule', plan: 'plan', system: 'system', token: 'API token', edge: 'door controller' };

export function describeActor(actor: string | null, myActor: string | null, names: ReadonlyMap<string, string>): string {
  if (!actor) return '—';
  if (actor === myActor) return 'you';
  const [kind = '', id = ''] = actor.split(/:(.*)/s);
  if (kind === 'operator') return names.get(id) ?? `operator ${id.slice(-6)}`;
  if (kind in KIND_WORDS) return kind === 'system' ? `system (${id})` : `${KIND_WORDS[kind]} ${id.slice(-6)}`;
  return actor;
}

export function useActorLabel(): (actor: string | null) => string {
  const { me, can } = useSession();
  const allowed = can('operators.manage');
  const { data } = useQuery({
    queryKey: ['ops', 'operator-names'],
    queryFn: async () => new Map((await allPages<OperatorName>('/api/operators')).map((o) => [o.id, o.displayName || o.username])),
    enabled: allowed,
    staleTime: 300_000,
  });
  const myActor = me ? `${me.kind}:${me.id}` : null;
  return useCallback((actor: string | null) => describeActor(actor, myActor, data ?? new Map<string, string>()), [myActor, data]);
}
