/**
 * Keyset pagination over ids. Ids are UUIDv7, so id order is creation order on every dialect
 * (no collation differences), and a page never skips or repeats a row when others are added.
 * The cursor is opaque to clients: base64url of the list's name and the last id.
 */
import { isUuid } from '@vigil/core';
import { kernelError } from '../../kernel/errors.js';
import type { Page } from './model.js';

export function encodeCursor(list: string, lastId: string): string {
  return Buffer.from(JSON.stringify({ l: list, k: lastId }), 'utf8').toString('base64url');
}

/** The id to continue after, or undefined for the first page; throws `page.invalid_cursor`. */
export function decodeCursor(list: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { l, k } = (parsed ?? {}) as { l?: unknown; k?: unknown };
  if (l !== list || typeof k !== 'string' || !isUuid(k)) {
    throw kernelError('page.invalid_cursor', `The cursor does not belong to the ${list} list`, { list });
  }
  return k;
}

/**
 * Runs `fetch(afterId, limit + 1)` (rows in ascending id order) and cuts one page from it; the
 * extra row only says whether another page follows.
 */
export async function pageOf<R extends { id: string }, T>(
  list: string,
  options: { limit: number; cursor?: string | undefined },
  fetch: (afterId: string | undefined, take: number) => Promise<R[]>,
  map: (row: R) => T,
): Promise<Page<T>> {
  const limit = Math.max(1, Math.min(500, Math.trunc(options.limit)));
  const rows = await fetch(decodeCursor(list, options.cursor), limit + 1);
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(map), nextCursor: more && last ? encodeCursor(list, last.id) : null };
}
