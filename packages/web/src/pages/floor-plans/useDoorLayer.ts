/**
 * Feeds a floor plan's door layer: the site's door states read on open, again every 20 s (door
 * controllers report every door with each heartbeat, which the stream does not carry) and after
 * the stream reconnects; live `door` messages in between. A mode change is not in the message, so
 * those doors are read again, a batch at a time.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLive, useLiveStatus } from '../../api/live.ts';
import { doorApi } from '../doors/door-api.ts';
import { changesMode } from '../doors/door-state.ts';
import { DoorLayerStore } from './door-layer-store.ts';

const RELOAD_MS = 20_000;
const RECHECK_MS = 10_000;
/** Beyond this many doors changing mode at once (a lockdown), the whole site is read again. */
const SINGLE_READS = 20;

export function useDoorLayer(siteId: string): DoorLayerStore {
  const client = useQueryClient();
  const [store] = useState(() => new DoorLayerStore(siteId, (flush) => requestAnimationFrame(flush)));
  const key = ['ops', 'door-states', siteId] as const;
  const { data } = useQuery({ queryKey: key, queryFn: () => doorApi.siteStates(siteId), refetchInterval: RELOAD_MS });
  const { reconnects } = useLiveStatus();
  const modeChanged = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (data) store.load(data);
  }, [data, store]);

  useEffect(() => {
    if (reconnects > 0) void client.invalidateQueries({ queryKey: ['ops', 'door-states', siteId] });
  }, [client, reconnects, siteId]);

  useEffect(() => {
    store.start();
    const recheck = setInterval(() => store.recheck(), RECHECK_MS);
    return () => {
      clearInterval(recheck);
      clearTimeout(timer.current);
      store.stop();
    };
  }, [store]);

  useLive(['door'], (message) => {
    const doorId = message['doorId'];
    if (message.site !== siteId || typeof doorId !== 'string') return;
    const change = typeof message['state'] === 'string' ? message['state'] : '';
    if (!changesMode(change)) {
      store.apply(doorId, change, message.at);
      return;
    }
    modeChanged.current.add(doorId);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const ids = [...modeChanged.current];
      modeChanged.current.clear();
      if (ids.length > SINGLE_READS) void client.invalidateQueries({ queryKey: key });
      else
        void Promise.all(ids.map((id) => doorApi.state(id).catch(() => null))).then((states) =>
          store.load(states.filter((s) => s !== null)),
        );
    }, 250);
  });

  return store;
}
