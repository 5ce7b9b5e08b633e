/**
 * The shape of each door look, shared by the plan's markers and the icons in lists and badges:
 * a triangle for forced, a diamond for held, a square for open, a ring for unlocked, a disc for
 * locked, a dashed ring for offline. Shape and colour together, so no state rests on colour alone.
 * (Shapes, not letters: text is by far the costliest thing to redraw on a plan of 1,000 doors.)
 */
import type { DoorLook } from './door-state.ts';

export function DoorShape({ look, r }: { look: DoorLook; r: number }) {
  switch (look) {
    case 'forced':
      return <polygon className="shape" points={`0,${-r * 1.3} ${r * 1.2},${r * 0.9} ${-r * 1.2},${r * 0.9}`} />;
    case 'held':
      return <polygon className="shape" points={`0,${-r * 1.25} ${r * 1.25},0 0,${r * 1.25} ${-r * 1.25},0`} />;
    case 'open':
      return <rect className="shape" x={-r} y={-r} width={r * 2} height={r * 2} />;
    case 'unlocked':
    case 'locked':
    case 'offline':
      return <circle className="shape" r={look === 'unlocked' ? r * 0.8 : r} strokeWidth={look === 'unlocked' ? r * 0.4 : undefined} />;
  }
}

/** A small inline icon of a look, for text next to it. */
export function LookIcon({ look }: { look: DoorLook }) {
  return (
    <svg className={`look-icon look-${look}`} viewBox="-14 -14 28 28" width="14" height="14" aria-hidden="true" focusable="false">
      <DoorShape look={look} r={9} />
    </svg>
  );
}
