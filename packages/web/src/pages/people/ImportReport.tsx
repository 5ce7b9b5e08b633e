/** What an import (or its dry run) found: counts, and every error with its line, column and code as the server reported it. */
import { Link } from 'react-router';
import { TableScroll } from '../../components/admin/layout.tsx';

export interface ImportError {
  line: number;
  column: number | null;
  columnName: string | null;
  code: string;
  message: string;
}

export interface ImportReportData {
  ok: boolean;
  dryRun: boolean;
  /** Null when the server refused the file without a full report (the real import of a bad file). */
  rows: number | null;
  persons: number;
  credentials: number;
  errorCount: number;
  errors: ImportError[];
}

export function ImportReport({ report, journalLink }: { report: ImportReportData; journalLink: string | null }) {
  const verdict = report.ok
    ? report.dryRun
      ? 'The file is clean: nothing was written (dry run).'
      : 'Imported. Every row was written in one transaction.'
    : `The file has ${report.errorCount} error${report.errorCount === 1 ? '' : 's'}. Nothing was written.`;
  return (
    <section className="panel" aria-labelledby="import-result-title" data-testid="import-report">
      <h2 id="import-result-title">{report.dryRun ? 'Dry run result' : 'Import result'}</h2>
      {report.rows !== null && (
        // A refused import has no report of its own: the server's refusal above says it.
        <p className={report.ok ? undefined : 'error'} role="status">
          {verdict}
        </p>
      )}
      <div className="import-summary">
        {report.rows !== null && (
          <span>
            <strong>{report.rows}</strong> rows read
          </span>
        )}
        {report.ok && (
          <>
            <span>
              <strong>{report.persons}</strong> persons {report.dryRun ? 'would be created' : 'created'}
            </span>
            <span>
              <strong>{report.credentials}</strong> credentials {report.dryRun ? 'would be issued' : 'issued'}
            </span>
          </>
        )}
        <span>
          <strong>{report.errorCount}</strong> {report.errorCount === 1 ? 'error' : 'errors'}
        </span>
      </div>
      {report.ok && !report.dryRun && journalLink && (
        <p>
          <Link to="/people">Find the imported persons</Link> · <Link to={journalLink}>See the import in the journal</Link>
        </p>
      )}
      {report.errors.length > 0 && (
        <>
          {report.errorCount > report.errors.length && (
            <p className="muted">
              Showing the first {report.errors.length} of {report.errorCount} errors, in file order. Fix these and check again to see the
              rest.
            </p>
          )}
          <TableScroll label="Import errors" stackOnPhone>
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Column</th>
                <th>Code</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((error, index) => (
                <tr key={index} data-line={error.line}>
                  <td className="num" data-label="Line">
                    {error.line}
                  </td>
                  <td data-label="Column">
                    {error.column === null ? '—' : `${error.column}${error.columnName ? ` (${error.columnName})` : ''}`}
                  </td>
                  <td data-label="Code">
                    <code>{error.code}</code>
                  </td>
                  <td data-label="Message">{error.message}</td>
                </tr>
              ))}
            </tbody>
          </TableScroll>
        </>
      )}
    </section>
  );
}
