import type { TrackedValuesV1, TrackerV1 } from '@rlgf/contracts';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toCsv } from './csv';

type TrackedRecord = Readonly<Record<string, number | string>> & { readonly iteration: number };

interface Stream {
  readonly jsonl: string;
  readonly csv: string;
  records: TrackedRecord[];
  pending: string[];
}

function readRecords(path: string, keepThrough: number | undefined): TrackedRecord[] {
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
    })
    .filter((record) => keepThrough === undefined || record.iteration <= keepThrough);
}

/**
 * Tracking files in the run directory: `metrics.jsonl` / `metrics.csv` (one row per iteration)
 * and `evaluations.jsonl` / `evaluations.csv`. Resuming from a checkpoint drops rows written after
 * it, so a resumed run's files equal an uninterrupted run's.
 */
export async function createFileTracker(settings: {
  dir: string;
  csv: boolean;
  /** Resuming after this iteration (the checkpoint's): later rows are dropped. */
  resumeAfterIteration?: number;
}): Promise<TrackerV1> {
  await mkdir(settings.dir, { recursive: true });
  const stream = (name: string, keepThrough: number | undefined): Stream => {
    const jsonl = join(settings.dir, `${name}.jsonl`);
    return { jsonl, csv: join(settings.dir, `${name}.csv`), records: readRecords(jsonl, keepThrough), pending: [] };
  };
  const last = settings.resumeAfterIteration;
  const iterations = stream('metrics', last);
  // Evaluations are labelled with the number of completed iterations: the one after iteration
  // `last` (label last + 1) was logged before that checkpoint was written.
  const evaluations = stream('evaluations', last === undefined ? undefined : last + 1);
  const streams = [iterations, evaluations];

  // Rewrite the JSONL files so rows after the resume point are gone before anything is appended.
  for (const s of streams) {
    await writeFile(s.jsonl, s.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  const add = (s: Stream, record: TrackedRecord) => {
    s.records.push(record);
    s.pending.push(`${JSON.stringify(record)}\n`);
  };

  async function flush(): Promise<void> {
    for (const s of streams) {
      if (s.pending.length > 0) {
        const handle = await open(s.jsonl, 'a');
        try {
          await handle.write(s.pending.join(''));
          await handle.sync();
        } finally {
          await handle.close();
        }
        s.pending = [];
      }
      if (settings.csv && s.records.length > 0) await writeFile(s.csv, toCsv(s.records));
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
    flush,
    close: flush,
  };
}
