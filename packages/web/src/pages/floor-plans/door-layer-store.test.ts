import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unknownDoorState, type DoorState } from '../doors/door-state.ts';
import { DoorLayerStore } from './door-layer-store.ts';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

function state(doorId: string, fields: Partial<DoorState> = {}): DoorState {
  return { ...unknownDoorState(doorId, 'site-1'), open: false, mode: 'card_only', reportedAt: at(-1000), ...fields };
}

/** A store whose frames the test runs by hand. */
function storeWithFrames(now = () => NOW) {
  const frames: (() => void)[] = [];
  const store = new DoorLayerStore('site-1', (flush) => frames.push(flush), now);
  const runFrame = () => frames.splice(0).forEach((flush) => flush());
  return { store, frames, runFrame };
}

describe('the door layer', () => {
  it('applies a burst of changes in one frame and tells only the doors whose look changed', () => {
    const { store, frames, runFrame } = storeWithFrames();
    const ids = Array.from({ length: 1000 }, (_, i) => `door-${i}`);
    store.load(ids.map((id) => state(id)));
    runFrame();
    const told = new Map<string, number>();
    const changed = new Set<string>();
    for (const id of ids) {
      store.subscribeLook(id, () => told.set(id, (told.get(id) ?? 0) + 1));
      store.subscribe(id, () => changed.add(id));
    }
    let layer = 0;
    store.subscribeLayer(() => layer++);

    for (let i = 0; i < 100; i++) store.apply(`door-${i % 50}`, i < 50 ? 'forced_open' : 'closed', at(i));
    store.apply('door-999', 'forced_open', at(200));
    assert.equal(frames.length, 1, 'one frame is asked for, however many changes arrive');
    assert.equal(told.size, 0, 'nothing is drawn before the frame');
    runFrame();

    // Doors 0–49 were forced and closed again within the frame: their look is locked, as before,
    // so their markers are left alone; only their panels (which show the report time) hear of it.
    assert.deepEqual([...told.keys()], ['door-999']);
    assert.equal(changed.size, 51);
    assert.equal(store.look('door-999'), 'forced');
    assert.equal(store.look('door-7'), 'locked');
    assert.equal(layer, 1);
  });

  it('keeps a state the stream reported after the one a reload read, but takes the reload’s mode', () => {
    const { store, runFrame } = storeWithFrames();
    store.load([state('door-1')]);
    runFrame();
    store.apply('door-1', 'forced_open', at(5_000));
    runFrame();
    store.load([state('door-1', { reportedAt: at(0), mode: 'lockdown' })]);
    runFrame();
    assert.equal(store.look('door-1'), 'forced');
    assert.equal(store.drawnState('door-1')?.mode, 'lockdown');
  });

  it('turns a door offline when its controller falls silent', () => {
    let now = NOW;
    const { store, runFrame } = storeWithFrames(() => now);
    store.load([state('door-1')]);
    runFrame();
    assert.equal(store.look('door-1'), 'locked');
    now += 120_000;
    store.recheck();
    runFrame();
    assert.equal(store.look('door-1'), 'offline');
  });

  it('draws nothing while stopped and catches up when started again', () => {
    const { store, runFrame } = storeWithFrames();
    store.stop();
    store.load([state('door-1', { open: true })]);
    runFrame();
    assert.equal(store.drawnState('door-1'), undefined);
    store.start();
    runFrame();
    assert.equal(store.look('door-1'), 'open');
  });
});
