import { setBackend } from '@rlgf/models';
import { id, letterTokenizer, tinyLlama } from '../__fixtures__/tiny-models';
import type { PolicyCopies } from '../policy-copies/share-policy';
import { generateWithPolicy } from './policy-generation';

const rows = ['q r', 's', 't u v', 'w', 'x y'].map((text, i) => ({ promptIds: letterTokenizer.encode(text), forced: i === 2 ? [id('a'), id('b')] : [] }));
const settings = { maxNewTokens: 5, minNewTokens: 1, decoding: { strategy: 'sample' as const }, batchSize: 2, seedOf: (chunk: number) => 100 + chunk };

describe('generateWithPolicy', () => {
  beforeAll(() => setBackend('cpu'));

  it('gives the same tokens whether copies of the policy take some of the chunks or not', async () => {
    const policy = tinyLlama(4);
    const copy = policy.clone();
    try {
      const alone = await generateWithPolicy(policy, rows, settings);
      expect(alone).toHaveLength(rows.length);
      expect(alone[2].slice(0, 2)).toEqual([id('a'), id('b')]);
      const seedsOfCopy: number[] = [];
      let besideCalls = 0;
      const copies: PolicyCopies = {
        copies: [
          {
            generate: async (request) => {
              seedsOfCopy.push(request.seed ?? -1);
              // As from another thread: the answer comes by message, after a turn of the event loop.
              await new Promise<void>((resolve) => setImmediate(resolve));
              return copy.generate(request);
            },
            scoreTokens: () => Promise.reject(new Error('not asked')),
          },
        ],
        beside: (work) => {
          besideCalls++;
          return work();
        },
      };
      expect(await generateWithPolicy(policy, rows, settings, copies)).toEqual(alone);
      // Three chunks of two rows: the copy takes chunk 0 at once, and this thread at least one other.
      expect(seedsOfCopy[0]).toBe(100);
      expect(seedsOfCopy.length).toBeGreaterThanOrEqual(1);
      expect(seedsOfCopy.length).toBeLessThan(3);
      expect(besideCalls).toBeGreaterThanOrEqual(1);
    } finally {
      policy.dispose();
      copy.dispose();
    }
  });

  it('fails when a copy fails', async () => {
    const policy = tinyLlama(4);
    try {
      const stopped = () => Promise.reject(new Error('the critic thread stopped (exit code 1)'));
      const copies: PolicyCopies = { copies: [{ generate: stopped, scoreTokens: stopped }], beside: (work) => work() };
      await expect(generateWithPolicy(policy, rows, settings, copies)).rejects.toThrow('the critic thread stopped');
    } finally {
      policy.dispose();
    }
  });
});
