/**
 * Opaque list cursors: base64url of the list's name and the last sort key, so a cursor from one
 * list is refused by another instead of silently skipping rows.
 */
import { kernelError } from '../../kernel/errors.js';

export function encodeCursor(list: string, key: string): string {
  return Buffer.from(JSON.stringify([list, key]), 'utf8').toString('base64url');
}

/** The sort key in `cursor`, or `page.invalid_cursor`. */
export function decodeCursor(list: string, cursor: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value[0] === list && typeof value[1] === 'string') return value[1];
  } catch {
    // fall through to the error below
  }
  throw kernelError('page.invalid_cursor', 'The cursor is malformed or belongs to another list');
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}
