/**
 * CSV import of persons and credentials (docs/import.md). The administrator picks or drops a file,
 * checks it with a dry run (every check, nothing written), then imports it: all rows or none. The
 * page shows the upload's progress, then the server's report with every error's line, column and
 * code exactly as the server gave them.
 */
import { useRef, useState, type DragEvent } from 'react';
import { isApiError } from '../../api/client.ts';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { useNow } from '../../components/useNow.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { uploadWithProgress, type UploadProgress } from '../../components/admin/transfer.ts';
import { ImportReport, type ImportError, type ImportReportData } from './ImportReport.tsx';
import { peopleListKey } from './people-format.ts';
import './import.css';

type Phase = { kind: 'idle' } | { kind: 'uploading'; progress: UploadProgress } | { kind: 'checking'; since: number };

/** The report a refused import carries in its problem (`people.import_rejected`). */
function reportOfRejection(error: unknown): ImportReportData | null {
  if (!isApiError(error, 'people.import_rejected')) return null;
  const errors = (error.problem['errors'] ?? []) as ImportError[];
  const errorCount = typeof error.problem['errorCount'] === 'number' ? error.problem['errorCount'] : errors.length;
  return { ok: false, dryRun: false, rows: null, persons: 0, credentials: 0, errorCount, errors };
}

export default function ImportPage() {
  const invalidate = useInvalidate();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [lines, setLines] = useState<number | null>(null);
  const [over, setOver] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [report, setReport] = useState<ImportReportData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [journalLink, setJournalLink] = useState<string | null>(null);

  function choose(next: File | null) {
    setFile(next);
    setReport(null);
    setError(null);
    setLines(null);
    if (next) void next.text().then((text) => setLines(text.split(/\r?\n/).filter((line) => line.trim() !== '').length));
  }

  async function send(dryRun: boolean) {
    if (!file) return;
    setReport(null);
    setError(null);
    setJournalLink(null);
    const startedAt = new Date(Date.now() - 1000).toISOString();
    setPhase({ kind: 'uploading', progress: { sent: 0, total: file.size } });
    try {
      const result = await uploadWithProgress<ImportReportData>(
        'POST',
        `/api/people/import?dryRun=${dryRun}`,
        file,
        'text/csv',
        (progress) => setPhase(progress.sent >= progress.total ? { kind: 'checking', since: Date.now() } : { kind: 'uploading', progress }),
      );
      setReport(result);
      if (result.ok && !result.dryRun) {
        setJournalLink(`/journal?from=${encodeURIComponent(startedAt)}&type=person.created`);
        await invalidate(peopleListKey);
      }
    } catch (e) {
      const rejected = reportOfRejection(e);
      if (rejected) setReport(rejected);
      setError(e);
    } finally {
      setPhase({ kind: 'idle' });
    }
  }

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    choose(event.dataTransfer.files[0] ?? null);
  };
  const busy = phase.kind !== 'idle';
  const now = useNow(1000);

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import people and credentials</h1>
      <p className="muted">
        A CSV file with a header line: <code>kind</code>, <code>given_name</code>, <code>family_name</code> and optionally employee id,
        department, job roles, sites, validity and one card or PIN per row. Nothing is written unless every row is valid.
      </p>
      <div
        className={over ? 'import-drop over' : 'import-drop'}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <label className="field">
          <span>CSV file (choose, or drop it here)</span>
          <input ref={input} type="file" accept=".csv,text/csv" onChange={(e) => choose(e.target.files?.[0] ?? null)} disabled={busy} />
        </label>
        {file && (
          <p className="muted" role="status">
            {file.name} · {(file.size / 1024).toFixed(1)} KiB{lines !== null ? ` · ${Math.max(0, lines - 1)} data rows` : ''}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="button" className="secondary" disabled={!file || busy} onClick={() => void send(true)}>
          Check file (dry run)
        </button>
        <button type="button" disabled={!file || busy} onClick={() => void send(false)}>
          Import
        </button>
      </div>
      <div role="status" aria-live="polite" className="import-progress">
        {phase.kind === 'uploading' && (
          <label className="field">
            <span>Uploading… {Math.round((100 * phase.progress.sent) / Math.max(1, phase.progress.total))}%</span>
            <progress className="progress" value={phase.progress.sent} max={Math.max(1, phase.progress.total)} />
          </label>
        )}
        {phase.kind === 'checking' && (
          <label className="field">
            <span>
              Uploaded; the server is checking every row… {Math.max(0, Math.round((now - phase.since) / 1000))} s (files with PINs take
              longest: each PIN is hashed slowly on purpose)
            </span>
            <progress className="progress" />
          </label>
        )}
      </div>
      <ServerError error={error} itemise={!report} />
      {report && <ImportReport report={report} journalLink={journalLink} />}
    </section>
  );
}
