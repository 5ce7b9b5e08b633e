/**
 * Watches what Vigil journals, through its live stream (`/api/live`, the `events` channel, which
 * needs `journal.read`): every event of the site, as Vigil fans it out after the journal commit.
 * Scenarios open one before they act and read back what their actions caused.
 */
import WebSocket from 'ws';
import { simulatorError } from '../errors.js';

export interface JournalEntry {
  readonly eventId: string;
  readonly type: string;
  readonly at: string;
  readonly site: string | null;
  readonly source: string;
  readonly subject: string | null;
  readonly zone: string | null;
  readonly door: string | null;
  readonly data: Record<string, unknown>;
}

export type EntryMatcher = (entry: JournalEntry) => boolean;

export class JournalWatch {
  readonly entries: JournalEntry[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer) => {
      const message = JSON.parse(raw.toString('utf8')) as { kind?: string } & Partial<JournalEntry>;
      if (message.kind !== 'event') return;
      this.entries.push(message as JournalEntry);
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** Opens the stream for one site's events; resolves once Vigil confirmed the subscription. */
  static open(baseUrl: string, token: string, siteId: string, timeoutMs = 10_000): Promise<JournalWatch> {
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/live`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      const fail = (why: string) => {
        socket.terminate();
        reject(simulatorError('simulator.vigil_unreachable', `Vigil's live stream at ${url} could not be opened: ${why}`, { url }));
      };
      socket.once('error', (e) => fail(e.message));
      socket.once('unexpected-response', (_request, response) => {
        if (response.statusCode === 401) {
          socket.terminate();
          reject(simulatorError('simulator.credentials_refused', `Vigil refused the API token on its live stream`, { url }));
        } else if (response.statusCode === 403) {
          socket.terminate();
          reject(simulatorError('simulator.permissions_missing', 'The API token lacks journal.read, needed to watch the journal', {}));
        } else fail(`HTTP ${response.statusCode ?? '?'}`);
      });
      socket.once('open', () => socket.send(JSON.stringify({ subscribe: ['events'], sites: [siteId] })));
      const onMessage = (raw: Buffer) => {
        const message = JSON.parse(raw.toString('utf8')) as { kind?: string };
        if (message.kind !== 'subscribed') return;
        socket.off('message', onMessage);
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
        resolve(new JournalWatch(socket));
      };
      socket.on('message', onMessage);
    });
  }

  /** Resolves with the first matching entry (seen already or arriving), or null after `timeoutMs`. */
  waitFor(matcher: EntryMatcher, timeoutMs: number): Promise<JournalEntry | null> {
    const found = this.entries.find(matcher);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const check = () => {
        const entry = this.entries.find(matcher);
        if (!entry) return;
        done(entry);
      };
      const done = (entry: JournalEntry | null) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(entry);
      };
      const timer = setTimeout(() => done(null), timeoutMs);
      this.waiters.add(check);
    });
  }

  close(): void {
    this.socket.close();
  }
}
