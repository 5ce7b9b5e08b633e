/**
 * Beside the plan: the count of doors in each state, the doors that need attention (forced, held,
 * offline, open, unlocked — most urgent first), the floor's zones (hovering or focusing one marks
 * its doors on the plan) and a search for any door by name. This is also the keyboard's way to
 * every door: the markers on the plan are for pointing.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Door, Zone } from '../../components/facility.ts';
import { DOOR_LOOKS, LOOK_RANK, LOOK_WORDS, type DoorLook } from '../doors/door-state.ts';
import { LookIcon } from '../doors/DoorShape.tsx';
import type { DoorLayerStore } from './door-layer-store.ts';

const LIST_LIMIT = 40;

/** The layer's version, at most once per `everyMs`: summaries need not redraw at 60 frames a second. */
export function useLayerVersion(store: DoorLayerStore, everyMs = 500): number {
  const [version, setVersion] = useState(store.version);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let due = false;
    const tick = () => {
      timer = undefined;
      if (!due) return;
      due = false;
      setVersion(store.version);
      timer = setTimeout(tick, everyMs);
    };
    const off = store.subscribeLayer(() => {
      due = true;
      if (timer === undefined) tick();
    });
    setVersion(store.version);
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [store, everyMs]);
  return version;
}

export function FloorSide({
  doors,
  zones,
  store,
  alarmedIds,
  onSelect,
  onHighlightZone,
}: {
  doors: readonly Door[];
  zones: readonly Zone[];
  store: DoorLayerStore;
  alarmedIds: ReadonlySet<string>;
  onSelect: (doorId: string) => void;
  onHighlightZone: (zoneId: string | null) => void;
}) {
  const version = useLayerVersion(store);
  const [search, setSearch] = useState('');
  const { counts, attention } = useMemo(() => {
    const looks = store.looks();
    const counts = new Map<DoorLook, number>();
    const attention: { door: Door; look: DoorLook }[] = [];
    for (const door of doors) {
      const look = looks.get(door.id) ?? 'offline';
      counts.set(look, (counts.get(look) ?? 0) + 1);
      if (look !== 'locked' || alarmedIds.has(door.id)) attention.push({ door, look });
    }
    attention.sort(
      (a, b) =>
        Number(alarmedIds.has(b.door.id)) - Number(alarmedIds.has(a.door.id)) ||
        LOOK_RANK[a.look] - LOOK_RANK[b.look] ||
        a.door.name.localeCompare(b.door.name),
    );
    return { counts, attention };
    // `version` stands for the store's contents, which `looks()` reads.
  }, [doors, store, alarmedIds, version]);
  const found = search.trim() ? doors.filter((d) => d.name.toLowerCase().includes(search.trim().toLowerCase())).slice(0, 20) : [];

  return (
    <div className="floor-side">
      <ul className="look-counts" aria-label="Doors by state">
        {DOOR_LOOKS.filter((look) => counts.get(look)).map((look) => (
          <li key={look} className={`look-${look}`} data-look={look}>
            <LookIcon look={look} /> {counts.get(look)} {LOOK_WORDS[look].toLowerCase()}
          </li>
        ))}
      </ul>
      <section aria-labelledby="attention-title">
        <h2 id="attention-title">Needs attention ({attention.length})</h2>
        {attention.length === 0 ? <p className="muted">Every door on this floor is locked and quiet.</p> : null}
        <ul className="door-list">
          {attention.slice(0, LIST_LIMIT).map(({ door, look }) => (
            <li key={door.id}>
              <button type="button" className={`door-button look-${look}`} onClick={() => onSelect(door.id)} data-door-button={door.id}>
                <LookIcon look={look} /> {door.name} — {LOOK_WORDS[look]}
                {alarmedIds.has(door.id) ? ' · alarm' : ''}
              </button>
            </li>
          ))}
        </ul>
        {attention.length > LIST_LIMIT ? <p className="muted">and {attention.length - LIST_LIMIT} more.</p> : null}
      </section>
      <section aria-labelledby="find-door-title">
        <h2 id="find-door-title">Find a door</h2>
        <input type="search" aria-label="Door name" placeholder="Door name" value={search} onChange={(e) => setSearch(e.target.value)} />
        <ul className="door-list">
          {found.map((door) => (
            <li key={door.id}>
              <button type="button" className="door-button" onClick={() => onSelect(door.id)}>
                {door.name}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {zones.length > 0 ? (
        <section aria-labelledby="zones-title">
          <h2 id="zones-title">Zones on this floor</h2>
          <ul className="zone-list" onMouseLeave={() => onHighlightZone(null)}>
            {zones.map((zone) => (
              <li key={zone.id}>
                <button
                  type="button"
                  className="zone-button"
                  onMouseEnter={() => onHighlightZone(zone.id)}
                  onFocus={() => onHighlightZone(zone.id)}
                  onBlur={() => onHighlightZone(null)}
                  aria-label={`${zone.name}: mark its doors on the plan`}
                >
                  {zone.name} <span className="muted">· {zone.securityLevelName}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
