/** Keyset pages over UUIDv7 ids (creation order); cursors are opaque base64url of the list and the last id. */
import { isUuid } from '@vigil/core';
import { kernelError } from '../../kernel/errors.js';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export function afterId(list: string, cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || typeof parsed[1] !== 'string' || !isUuid(parsed[1])) {
    throw kernelError('page.invalid_cursor', `The cursor does not belong to the ${list} list`, { list });
  }
  return parsed[1];
}

/** Cuts a page from rows fetched with `limit + 1` in ascending id order. */
export function pageFrom<R extends { id: string }, T>(list: string, limit: number, rows: readonly R[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: more && last ? Buffer.from(JSON.stringify([list, last.id])).toString('base64url') : null };
}
