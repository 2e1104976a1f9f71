import type { LanguageModelV1 } from '@rlgf/contracts';
import { setBackend } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { letterTokenizer, tinyLlama } from '../__fixtures__/tiny-models';
import { sharePolicy, type PolicyCopies, type PolicyCopy } from './share-policy';

const prompts = ['q r', 's', 't u v', 'w', 'x y', 'z', 'q', 'r s'].map((text) => [letterTokenizer.encode(text)]);
const targets = ['a b c', 'd', 'e f', 'g h i j', 'k', 'l m', 'n o p', 'a'].map((text) => [letterTokenizer.encode(text)]);

/** Counts the calls a model answers and the most it had in flight at once. */
function counted(model: PolicyCopy, options: { readonly asynchronous?: boolean } = {}) {
  const counts = { calls: 0, inFlight: 0, mostInFlight: 0 };
  const around = async <T>(work: () => Promise<T>): Promise<T> => {
    counts.calls++;
    counts.inFlight++;
    counts.mostInFlight = Math.max(counts.mostInFlight, counts.inFlight);
    try {
      // A copy on another thread answers by message, after a turn of the event loop at the least.
      if (options.asynchronous) await new Promise<void>((resolve) => setImmediate(resolve));
      return await work();
    } finally {
      counts.inFlight--;
    }
  };
  const wrapped: PolicyCopy = {
    generate: (request) => around(() => model.generate(request)),
    scoreTokens: (promptIds, targetIds) => around(() => model.scoreTokens(promptIds, targetIds)),
  };
  return { model: wrapped, counts };
}

function asPolicy(policy: LanguageModelV1, model: PolicyCopy): LanguageModelV1 {
  return { specificationVersion: 'v1', info: policy.info, tokenizer: policy.tokenizer, generate: model.generate, scoreTokens: model.scoreTokens, dispose: () => policy.dispose() };
}

describe('sharePolicy', () => {
  beforeAll(() => setBackend('cpu'));

  it('shares calls made at once between the policy and its copy, each answer the policy\'s own', async () => {
    const policy = tinyLlama(4);
    const copy = policy.clone();
    try {
      const alone = await Promise.all(prompts.map((p, i) => policy.scoreTokens(p, targets[i])));
      const here = counted(policy);
      const there = counted(copy, { asynchronous: true });
      let besideCalls = 0;
      const copies: PolicyCopies = {
        copies: [there.model],
        beside: (work) => {
          besideCalls++;
          return work();
        },
      };
      const shared = sharePolicy(asPolicy(policy, here.model), copies);
      expect(await Promise.all(prompts.map((p, i) => shared.scoreTokens(p, targets[i])))).toEqual(alone);
      // Both work: the copy is not starved while its answers wait for a turn of the event loop.
      expect(here.counts.calls + there.counts.calls).toBe(prompts.length);
      expect(there.counts.calls).toBeGreaterThanOrEqual(2);
      expect(here.counts.calls).toBeGreaterThanOrEqual(2);
      // One call at a time here; the copy holds its next call too, so it never waits for this
      // thread to read an answer. This thread keeps to its share of the threads while the copy works.
      expect(here.counts.mostInFlight).toBe(1);
      expect(there.counts.mostInFlight).toBe(2);
      expect(besideCalls).toBeGreaterThanOrEqual(1);
    } finally {
      policy.dispose();
      copy.dispose();
    }
  });

  it('keeps both busy when calls come two at a time, as a metric keeps two batches in flight', async () => {
    const policy = tinyLlama(4);
    const copy = policy.clone();
    try {
      const here = counted(policy);
      const there = counted(copy, { asynchronous: true });
      const shared = sharePolicy(asPolicy(policy, here.model), { copies: [there.model], beside: (work) => work() });
      let next = 0;
      const answers: number[][][] = [];
      const lane = async () => {
        for (let i = next++; i < prompts.length; i = next++) answers[i] = await shared.scoreTokens(prompts[i], targets[i]);
      };
      await Promise.all([lane(), lane()]);
      expect(answers).toEqual(await Promise.all(prompts.map((p, i) => policy.scoreTokens(p, targets[i]))));
      expect(there.counts.calls).toBeGreaterThanOrEqual(3);
      expect(here.counts.calls).toBeGreaterThanOrEqual(3);
    } finally {
      policy.dispose();
      copy.dispose();
    }
  });

  it('runs a call made alone here, on all of this thread\'s kernel threads', async () => {
    const policy = tinyLlama(4);
    try {
      const refuse = () => Promise.reject(new Error('not asked'));
      const shared = sharePolicy(policy, { copies: [{ generate: refuse, scoreTokens: refuse }], beside: refuse });
      const before = tf.memory().numTensors;
      expect(await shared.scoreTokens(prompts[0], targets[0])).toEqual(await policy.scoreTokens(prompts[0], targets[0]));
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      policy.dispose();
    }
  });

  it('runs calls one at a time without copies, so calls made at once cost the memory of one', async () => {
    const policy = tinyLlama(4);
    try {
      const here = counted(policy, { asynchronous: true });
      const shared = sharePolicy(asPolicy(policy, here.model));
      await Promise.all(prompts.map((p, i) => shared.scoreTokens(p, targets[i])));
      expect(here.counts).toEqual({ calls: prompts.length, inFlight: 0, mostInFlight: 1 });
    } finally {
      policy.dispose();
    }
  });

  it('answers every call, a failure with its error, also from a model that throws before answering', async () => {
    const policy = tinyLlama(4);
    try {
      const failing: PolicyCopy = {
        generate: () => Promise.reject(new Error('the critic thread stopped (exit code 1)')),
        scoreTokens: () => Promise.reject(new Error('the critic thread stopped (exit code 1)')),
      };
      const shared = sharePolicy(policy, { copies: [failing], beside: (work) => work() });
      const settled = await Promise.allSettled(prompts.slice(0, 4).map((p, i) => shared.scoreTokens(p, targets[i])));
      // Every call is answered; those the copy took fail with its error, the others are the policy's.
      const alone = await Promise.all(prompts.slice(0, 4).map((p, i) => policy.scoreTokens(p, targets[i])));
      expect(settled.some((s) => s.status === 'rejected')).toBe(true);
      settled.forEach((s, i) => (s.status === 'rejected' ? expect(s.reason.message).toBe('the critic thread stopped (exit code 1)') : expect(s.value).toEqual(alone[i])));

      const disposed = tinyLlama(5);
      disposed.dispose();
      await expect(sharePolicy(disposed).scoreTokens(prompts[0], targets[0])).rejects.toThrow();
    } finally {
      policy.dispose();
    }
  });
});
