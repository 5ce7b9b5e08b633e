/**
 * Inserts for the paths that write tens of thousands of rows in one transaction (the people
 * import, the journal append). Kysely's builder turns every value of a multi-row insert into a
 * node, then compiles them back into text: for such batches that costs more than the database
 * takes to store the rows. Here the statement text is built once per shape and the values are
 * passed as they are.
 * - SQLite: multi-row VALUES of up to 256 rows, within its bound-parameter limit. Every full
 *   statement has the same text, so the prepared-statement cache (database.ts) parses it once.
 * - PostgreSQL: one parameter per column holding that column's values as an array, expanded by
 *   unnest(): a short statement whatever the row count, so the server parses almost nothing and
 *   the 65,535-parameter limit does not apply.
 */
import { CompiledQuery, PostgresAdapter, SqliteAdapter, type Kysely } from 'kysely';
import type { Dialect } from './database.js';
import type { Database } from './schema.js';

/** The PostgreSQL type of a column (its array type is what unnest() reads). */
export type BulkColumnType = 'text' | 'integer' | 'bigint';

/** Every column of the row type, with its type. */
export type BulkColumns<T> = { readonly [K in keyof T & string]: BulkColumnType };

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32 (the version better-sqlite3 bundles is newer). */
export const SQLITE_MAX_PARAMETERS = 32_766;

/**
 * Rows per SQLite statement, below what the parameter limit allows: parsing a statement costs
 * about 0.5 ms per 1000 parameters, paid once per distinct text (the cache keeps full ones), and
 * the final partial statement of every batch is parsed anew; binding and running cost the same
 * however the rows are split.
 */
const SQLITE_ROWS_PER_STATEMENT = 256;

/** Rows per PostgreSQL statement: bounds the size of one message, not a database limit. */
const POSTGRES_ROWS_PER_STATEMENT = 10_000;

/**
 * The dialect behind a Kysely instance or transaction, for code handed only the executor (a
 * module's `db` port). Reads the executor's adapter, which Kysely marks internal but which is the
 * one place the dialect is known.
 */
export function dialectOf(db: Kysely<Database>): Dialect {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgres';
  throw new Error(`unsupported database adapter ${adapter.constructor.name}`);
}

export interface BulkStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

export class BulkInsert<T extends object> {
  private readonly names: readonly (keyof T & string)[];
  private readonly types: readonly BulkColumnType[];
  private readonly columnList: string;
  /** Rows per statement; on SQLite the text of a full statement is built once. */
  readonly rowsPerStatement: number;
  private fullStatement: string | undefined;

  constructor(
    private readonly table: string,
    columns: BulkColumns<T>,
    private readonly dialect: Dialect,
  ) {
    this.names = Object.keys(columns) as (keyof T & string)[];
    this.types = this.names.map((name) => columns[name]);
    this.columnList = this.names.map(quote).join(', ');
    this.rowsPerStatement =
      dialect === 'sqlite'
        ? Math.min(SQLITE_ROWS_PER_STATEMENT, Math.floor(SQLITE_MAX_PARAMETERS / this.names.length))
        : POSTGRES_ROWS_PER_STATEMENT;
  }

  /** Inserts all rows, in as few statements as the dialect allows; `onInserted` gets the rows inserted so far. */
  async run(db: Kysely<Database>, rows: readonly T[], onInserted?: (rows: number) => void): Promise<void> {
    for (let i = 0; i < rows.length; i += this.rowsPerStatement) {
      const end = Math.min(rows.length, i + this.rowsPerStatement);
      const { sql, parameters } = this.statement(rows, i, end);
      await db.executeQuery(CompiledQuery.raw(sql, parameters));
      onInserted?.(end);
    }
  }

  /** The insert of rows[from, to) (at most rowsPerStatement of them). */
  statement(rows: readonly T[], from = 0, to = rows.length): BulkStatement {
    return this.dialect === 'sqlite' ? this.sqliteStatement(rows, from, to) : this.postgresStatement(rows, from, to, 1);
  }

  /**
   * `select * from unnest(...)` of rows[from, to), its parameters numbered from `firstParameter`:
   * for a statement that inserts the rows together with something else (journal/postgres-append.ts).
   */
  unnest(rows: readonly T[], from: number, to: number, firstParameter: number): BulkStatement {
    const parameters = this.names.map((name) => {
      const values: unknown[] = new Array(to - from);
      for (let i = from; i < to; i++) values[i - from] = (rows[i] as Record<string, unknown>)[name] ?? null;
      return values;
    });
    const arrays = this.types.map((type, i) => `$${firstParameter + i}::${type}[]`).join(', ');
    return { sql: `select * from unnest(${arrays}) as batch (${this.columnList})`, parameters };
  }

  /** The column list, quoted, for statements built around `unnest`. */
  get columns(): string {
    return this.columnList;
  }

  private postgresStatement(rows: readonly T[], from: number, to: number, firstParameter: number): BulkStatement {
    const select = this.unnest(rows, from, to, firstParameter);
    return { sql: `insert into ${quote(this.table)} (${this.columnList}) ${select.sql}`, parameters: select.parameters };
  }

  private sqliteStatement(rows: readonly T[], from: number, to: number): BulkStatement {
    const count = to - from;
    const width = this.names.length;
    const parameters: unknown[] = new Array(count * width);
    let p = 0;
    for (let i = from; i < to; i++) {
      const row = rows[i] as Record<string, unknown>;
      for (const name of this.names) parameters[p++] = row[name] ?? null;
    }
    let sql: string;
    if (count === this.rowsPerStatement) sql = this.fullStatement ??= this.sqliteText(count);
    else sql = this.sqliteText(count);
    return { sql, parameters };
  }

  private sqliteText(count: number): string {
    const tuple = `(${new Array<string>(this.names.length).fill('?').join(', ')})`;
    return `insert into ${quote(this.table)} (${this.columnList}) values ${new Array<string>(count).fill(tuple).join(', ')}`;
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
