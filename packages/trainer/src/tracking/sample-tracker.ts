import type { TrackedSampleV1, TrackerV1 } from '@rlgf/contracts';
import { existsSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The first and the latest iteration's first few rollout generations, for the run summary. */
export interface SampleRecord {
  readonly first?: { readonly iteration: number; readonly samples: readonly TrackedSampleV1[] };
  readonly last?: { readonly iteration: number; readonly samples: readonly TrackedSampleV1[] };
}

export const samplesFile = 'samples.json';

export function readSampleRecord(runDir: string): SampleRecord {
  const path = join(runDir, samplesFile);
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SampleRecord;
  } catch {
    return {}; // cut short by a crash: the next flush writes it again
  }
}

/**
 * Keeps `count` generations of the first and of the latest iteration in `samples.json`, so the
 * summary can show how the policy writes at the start and at the end. Only two iterations are
 * kept, so a resumed run needs no journal: it keeps the file's first iteration when that came
 * before the ones it logs, and the latest is whatever it logged last.
 */
export function createSampleTracker(settings: { readonly dir: string; readonly count?: number }): TrackerV1 {
  const count = settings.count ?? 3;
  const before = readSampleRecord(settings.dir);
  let record: SampleRecord = {};
  let dirty = false;
  const flush = async () => {
    if (!dirty) return;
    const path = join(settings.dir, samplesFile);
    await writeFile(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
    await rename(`${path}.tmp`, path);
    dirty = false;
  };
  return {
    specificationVersion: 'v1',
    // Numbers are the file tracker's; this one keeps only text.
    logIteration: () => undefined,
    logEvaluation: () => undefined,
    logSamples(iteration, samples) {
      const entry = { iteration, samples: samples.slice(0, count) };
      const first = record.first ?? (before.first && before.first.iteration < iteration ? before.first : entry);
      record = { first, last: entry };
      dirty = true;
    },
    flush,
    close: flush,
  };
}
