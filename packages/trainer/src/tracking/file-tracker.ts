import type { LoggerV1, TrackedValuesV1, TrackerV1 } from '@rlgf/contracts';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diskFullError, isDiskFull } from '../checkpoint/disk-full';
import { toCsv } from './csv';
import { keepNothing, type JournalKeep, type JournalRows } from './journal-mark';

type TrackedRecord = Readonly<Record<string, number | string>> & { readonly iteration: number };

interface Stream {
  readonly name: keyof JournalRows;
  readonly jsonl: string;
  readonly csv: string;
  records: TrackedRecord[];
  pending: string[];
}

/** The tracker of a run directory, with the row counts a checkpoint's journal mark records. */
export interface FileTracker extends TrackerV1 {
  /** Rows in each file so far (kept from before and logged since). */
  rows(): JournalRows;
}

const serialize = (records: readonly TrackedRecord[]) => records.map((record) => `${JSON.stringify(record)}\n`).join('');

function readRecords(path: string): TrackedRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as TrackedRecord];
      } catch {
        return []; // a line cut short by a crash
      }
    });
}

/** Splits a file's rows into those the (re)started run keeps and those it sets aside. */
function splitRows(name: keyof JournalRows, records: TrackedRecord[], keep: JournalKeep): [TrackedRecord[], TrackedRecord[]] {
  if (keep.kind === 'rows') return [records.slice(0, keep.rows[name]), records.slice(keep.rows[name])];
  // Checkpoints before journal marks predate counting from 1: their metrics rows carry the 0-based
  // index (the last one kept is `iteration` − 1), their evaluations completed iterations.
  const last = name === 'metrics' ? keep.iteration - 1 : keep.iteration;
  return [records.filter((r) => r.iteration <= last), records.filter((r) => r.iteration > last)];
}

/** Replaces a file in one step, so a crash leaves the old or the new content, never half. */
async function replaceFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

/**
 * Tracking files in the run directory, kept as a journal: `metrics.jsonl` / `metrics.csv` (one row
 * per iteration) and `evaluations.jsonl` / `evaluations.csv`. A run that starts or resumes keeps
 * only the rows its checkpoint covers (`keep`; none on a fresh start) and moves the others to
 * `<setAsideRoot>/journal-<time>/`, so the files hold one row per iteration whatever happened
 * before, and a resumed run's files equal an uninterrupted run's.
 */
export async function createFileTracker(settings: {
  dir: string;
  csv: boolean;
  /** Rows kept from before (what the resumed checkpoint covers); default none. */
  keep?: JournalKeep;
  /** Where rows that are not kept go; default `<dir>/checkpoints/set-aside`. */
  setAsideRoot?: string;
  logger?: LoggerV1;
  /** The command that continues the run, named when the disk fills up. */
  resumeCommand?: string;
}): Promise<FileTracker> {
  await mkdir(settings.dir, { recursive: true });
  const streams: Stream[] = (['metrics', 'evaluations'] as const).map((name) => ({
    name,
    jsonl: join(settings.dir, `${name}.jsonl`),
    csv: join(settings.dir, `${name}.csv`),
    records: [],
    pending: [],
  }));
  const [iterations, evaluations] = streams;
  const setAside = join(settings.setAsideRoot ?? join(settings.dir, 'checkpoints', 'set-aside'), `journal-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const moved: string[] = [];
  for (const s of streams) {
    const found = readRecords(s.jsonl);
    const [kept, dropped] = splitRows(s.name, found, settings.keep ?? keepNothing);
    // Set-aside rows are written before the journal is cut, so a crash in between loses none.
    if (dropped.length > 0) {
      await mkdir(setAside, { recursive: true });
      await writeFile(join(setAside, `${s.name}.jsonl`), serialize(dropped));
      moved.push(`${dropped.length} ${s.name} row(s)`);
    }
    if (existsSync(s.jsonl) && readFileSync(s.jsonl, 'utf8') !== serialize(kept)) await replaceFile(s.jsonl, serialize(kept));
    s.records = kept;
    if (settings.csv && kept.length > 0) await writeFile(s.csv, toCsv(kept));
    else await rm(s.csv, { force: true });
  }
  if (moved.length > 0) settings.logger?.warn(`moved ${moved.join(' and ')} that the starting checkpoint does not cover to ${setAside}`);

  const add = (s: Stream, record: TrackedRecord) => {
    s.records.push(record);
    s.pending.push(`${JSON.stringify(record)}\n`);
  };

  async function append(s: Stream): Promise<void> {
    const handle = await open(s.jsonl, 'a');
    try {
      await handle.write(s.pending.join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    s.pending = [];
  }

  /** Names the file and what is safe when the disk fills up (Node's message names neither). */
  async function writing(path: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (cause) {
      if (!isDiskFull(cause)) throw cause;
      // Rows are flushed before each checkpoint is written; a row cut short is dropped on resume.
      throw diskFullError({ writing: path, kept: 'the last checkpoint is intact (checkpoints are written whole or not at all)', resumeCommand: settings.resumeCommand, cause });
    }
  }

  async function flush(): Promise<void> {
    for (const s of streams) {
      if (s.pending.length > 0) await writing(s.jsonl, () => append(s));
      if (settings.csv && s.records.length > 0) await writing(s.csv, () => writeFile(s.csv, toCsv(s.records)));
    }
  }

  return {
    specificationVersion: 'v1',
    logIteration(iteration: number, values: TrackedValuesV1) {
      add(iterations, { iteration, ...values });
    },
    logEvaluation(iteration: number, split: string, values: TrackedValuesV1) {
      add(evaluations, { iteration, split, ...values });
    },
    rows: () => ({ metrics: iterations.records.length, evaluations: evaluations.records.length }),
    flush,
    close: flush,
  };
}
