/**
 * A progress bar on stderr for long operations (verifying a large journal, importing a big CSV).
 * Shown only on a terminal, so piped or scripted runs get clean output.
 */
import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

export interface Progress {
  update(done: number, total?: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

/** A bar when stderr is a terminal and the work is big enough to be worth watching. */
export function progressBar(ctx: CliContext, label: string, total: number, minimum = 1): Progress {
  if (!ctx.stderr.isTTY || total < minimum) return NONE;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      stream: ctx.stderr,
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update(done, newTotal) {
      if (newTotal !== undefined && newTotal !== total) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop() {
      bar.stop();
    },
  };
}
