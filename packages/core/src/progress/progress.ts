import { redrawLine } from './terminal-writer';

export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

export interface ProgressSettings {
  /** What is being counted, e.g. `iteration`, `epoch`, `batch`. */
  readonly label: string;
  readonly total: number;
  /** `auto`: a redrawn bar on a terminal, plain lines otherwise. */
  readonly mode?: ProgressMode;
  readonly isTty: boolean;
  /** Where output goes (stderr in the CLI). */
  readonly write: (text: string) => void;
  /** Injectable clock in milliseconds, for tests. */
  readonly now?: () => number;
}

export interface Progress {
  /** Reports that `done` of `total` units are finished, with a few values to show. */
  update(done: number, values?: Readonly<Record<string, number | string>>): void;
  /** Ends the display (a newline after a bar). */
  finish(): void;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

function formatValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? value.toExponential(2) : value.toFixed(3);
}

/**
 * Progress with an ETA from the average time per unit since the first update (units finished
 * before a resume do not count toward the rate).
 */
export function createProgress(settings: ProgressSettings): Progress {
  const now = settings.now ?? Date.now;
  const mode = settings.mode === undefined || settings.mode === 'auto' ? (settings.isTty ? 'bar' : 'lines') : settings.mode;
  let start: { time: number; done: number } | undefined;
  let drewBar = false;
  let lastLine: { time: number; done: number } | undefined;

  function eta(done: number): string {
    if (!start || done <= start.done) return '?';
    const perUnit = (now() - start.time) / (done - start.done);
    return formatDuration(perUnit * (settings.total - done));
  }

  return {
    update(done, values = {}) {
      if (mode === 'none') return;
      if (!start) start = { time: now(), done };
      const shown = Object.entries(values)
        .map(([key, value]) => `${key} ${formatValue(value)}`)
        .join('  ');
      if (mode === 'lines') {
        // Plain lines go to logs: one per 5% of the work or per 10 s, plus the first and the last.
        const now_ = now();
        const due = !lastLine || done >= settings.total || done - lastLine.done >= settings.total / 20 || now_ - lastLine.time >= 10_000;
        if (!due) return;
        lastLine = { time: now_, done };
        settings.write(`${settings.label} ${done}/${settings.total}${shown ? `  ${shown}` : ''}  ETA ${eta(done)}\n`);
        return;
      }
      const width = 24;
      const filled = settings.total > 0 ? Math.round((width * Math.min(done, settings.total)) / settings.total) : width;
      const percent = settings.total > 0 ? Math.floor((100 * done) / settings.total) : 100;
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${settings.total} ${percent}%`;
      settings.write(`${redrawLine}${bar}  ${shown}  ETA ${eta(done)}`);
      drewBar = true;
    },
    finish() {
      if (drewBar) settings.write('\n');
      drewBar = false;
    },
  };
}
