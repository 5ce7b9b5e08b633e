/**
 * What a driver error means, in one place: the two dialects report a unique-index violation
 * differently (better-sqlite3 codes, PostgreSQL SQLSTATE 23505), and modules turn it into their own
 * conflict codes when a concurrent writer got past their checks first.
 */
export interface UniqueViolation {
  /** PostgreSQL names the index; SQLite names the columns ("UNIQUE constraint failed: doors.entry_reader_id"). */
  readonly description: string;
}

export function uniqueViolation(error: unknown): UniqueViolation | null {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  const code = e?.code;
  if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== '23505') return null;
  const constraint = typeof e?.constraint === 'string' ? e.constraint : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return { description: `${constraint} ${message}`.trim() };
}

export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolation(error) !== null;
}
