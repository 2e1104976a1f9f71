import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSampleTracker, readSampleRecord } from './sample-tracker';

const sample = (text: string, reward: number) => ({ prompt: 'p', generation: text, reward });

describe('sample tracker', () => {
  it('keeps the first few generations of the first and of the latest iteration in samples.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlgf-samples-'));
    const tracker = createSampleTracker({ dir, count: 2 });
    tracker.logSamples?.(0, [sample(' a', 0.1), sample(' b', 0.2), sample(' c', 0.3)]);
    tracker.logSamples?.(1, [sample(' d', 0.4)]);
    tracker.logSamples?.(2, [sample(' e', 0.5), sample(' f', 0.6), sample(' g', 0.7)]);
    await tracker.flush();
    expect(readSampleRecord(dir)).toEqual({
      first: { iteration: 0, samples: [sample(' a', 0.1), sample(' b', 0.2)] },
      last: { iteration: 2, samples: [sample(' e', 0.5), sample(' f', 0.6)] },
    });
  });

  it('keeps the first iteration of the run it resumes, and starts afresh when the run does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlgf-samples-'));
    const first = createSampleTracker({ dir });
    first.logSamples?.(0, [sample(' start', 0)]);
    first.logSamples?.(1, [sample(' one', 1)]);
    await first.close();
    const resumed = createSampleTracker({ dir });
    resumed.logSamples?.(2, [sample(' two', 2)]);
    await resumed.close();
    expect(readSampleRecord(dir)).toEqual({ first: { iteration: 0, samples: [sample(' start', 0)] }, last: { iteration: 2, samples: [sample(' two', 2)] } });
    const restarted = createSampleTracker({ dir });
    restarted.logSamples?.(0, [sample(' again', 3)]);
    await restarted.close();
    expect(readSampleRecord(dir).first).toEqual({ iteration: 0, samples: [sample(' again', 3)] });
  });
});
