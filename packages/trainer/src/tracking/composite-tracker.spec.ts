import type { TrackerV1 } from '@rlgf/contracts';
import { createCompositeTracker } from './composite-tracker';

function recordingTracker(calls: string[], name: string, failOn?: 'flush' | 'close'): TrackerV1 {
  const fail = (what: string) => (failOn === what ? Promise.reject(new Error(`${name} ${what} failed`)) : Promise.resolve());
  return {
    specificationVersion: 'v1',
    logIteration: (iteration, values) => calls.push(`${name} iteration ${iteration} ${JSON.stringify(values)}`),
    logEvaluation: (iteration, split, values) => calls.push(`${name} evaluation ${iteration} ${split} ${JSON.stringify(values)}`),
    flush: async () => {
      calls.push(`${name} flush`);
      await fail('flush');
    },
    close: async () => {
      calls.push(`${name} close`);
      await fail('close');
    },
  };
}

describe('composite tracker', () => {
  it('hands every call to each tracker in order, and samples only to those that take them', () => {
    const calls: string[] = [];
    const withSamples: TrackerV1 = { ...recordingTracker(calls, 'b'), logSamples: (iteration, samples) => calls.push(`b samples ${iteration} ${samples.length}`) };
    const tracker = createCompositeTracker([recordingTracker(calls, 'a'), withSamples]);
    tracker.logSamples?.(3, [{ prompt: 'p', generation: ' g', reward: 1 }]);
    tracker.logIteration(3, { 'reward/mean': 0.5, phase: 'ppo' });
    tracker.logEvaluation(4, 'validation', { sentiment: 0.7 });
    expect(calls).toEqual([
      'b samples 3 1',
      'a iteration 3 {"reward/mean":0.5,"phase":"ppo"}',
      'b iteration 3 {"reward/mean":0.5,"phase":"ppo"}',
      'a evaluation 4 validation {"sentiment":0.7}',
      'b evaluation 4 validation {"sentiment":0.7}',
    ]);
  });

  it('flushes and closes every tracker even when one fails, then reports the failure', async () => {
    const calls: string[] = [];
    const tracker = createCompositeTracker([recordingTracker(calls, 'a', 'flush'), recordingTracker(calls, 'b', 'close')]);
    await expect(tracker.flush()).rejects.toThrow('a flush failed');
    await expect(tracker.close()).rejects.toThrow('b close failed');
    expect(calls).toEqual(['a flush', 'b flush', 'a close', 'b close']);
  });
});
