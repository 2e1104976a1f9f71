import { NumericalError, RlgfError } from '@rlgf/contracts';
import { Critic, setBackend, type WeightMap } from '@rlgf/models';
import { recipeSchema } from '@rlgf/recipe';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { id, letterTokenizer, tinyLlama } from '../__fixtures__/tiny-models';
import { criticAdamW } from '../learner/adamw-for';
import type { ValueMinibatch } from './critic-access';
import { CriticThread, criticWorkerFiles } from './critic-thread';
import { reviveError, serializeError } from './critic-thread-protocol';
import { LocalCritic } from './local-critic';

const optimization = { ...recipeSchema.parse({ task: 't', policy: { model: 'm' } }).optimization, criticLearningRate: 0.01, weightDecay: 0 };
const rows = [
  { promptIds: letterTokenizer.encode('q r'), tokens: [id('a'), id('b'), id('c')] },
  { promptIds: letterTokenizer.encode('s'), tokens: [id('d'), id('e'), id('f')] },
];
const minibatch = (returns: number): ValueMinibatch => ({
  rows,
  width: 3,
  oldValues: rows.map(() => [0, 0, 0]),
  returns: rows.map(() => [returns, returns, returns]),
  valueMask: rows.map(() => [1, 1, 1]),
});
const settings = { learningRate: 0.01, maxGradNorm: 0.5, valueCoef: 0.5, clipRangeValue: 0.2, iteration: 7 };

describe('CriticThread', () => {
  let thread: CriticThread;
  let local: LocalCritic;
  let disposeLocal: () => void;
  let adoptedWeights: WeightMap;

  beforeAll(async () => {
    await setBackend('wasm');
    const trunk = tinyLlama(3);
    const critic = new Critic({ trunk: 'separate', trunkFrom: trunk, head: { kind: 'normal', std: 0.5, seed: 2 } });
    const optimizer = criticAdamW(optimization);
    local = new LocalCritic(critic, optimizer, trunk);
    disposeLocal = () => {
      critic.dispose();
      optimizer.dispose();
      trunk.dispose();
    };
    const files = criticWorkerFiles();
    if (files === undefined) throw new Error('the critic worker module was not found');
    thread = await CriticThread.start({ backend: 'wasm', threads: 1, files });
    adoptedWeights = await critic.getWeights();
    await thread.adopt('policy', {
      config: trunk.configJson,
      tokenizerFiles: trunk.tokenizerFiles ?? fail('no tokenizer files'),
      weights: adoptedWeights,
      optimization,
      optimizerState: await optimizer.exportState(critic.variables),
    });
  });
  afterAll(async () => {
    disposeLocal();
    await thread.close();
  });

  it('computes the same values and takes the same steps as the critic on this thread', async () => {
    const access = thread.access('policy');
    expect(await access.values(rows, 3, 1)).toEqual(await local.values(rows, 3, 1));
    for (const returns of [1, -0.5]) expect(await access.step(minibatch(returns), settings)).toEqual(await local.step(minibatch(returns), settings));
    expect(await thread.weights('policy')).toEqual(await local.critic.getWeights());
  });

  it('moved the weights to the thread instead of copying them: the arrays handed over are empty here', () => {
    expect([...adoptedWeights.values()].map((tensor) => tensor.data.length)).toEqual([...adoptedWeights.values()].map(() => 0));
  });

  it('a copy starts from the same weights with a fresh optimizer', async () => {
    await thread.copy('policy', 'guide');
    expect(thread.roles).toEqual(new Set(['policy', 'guide']));
    expect(await thread.weights('guide')).toEqual(await thread.weights('policy'));
  });

  it('a non-finite loss there is a NumericalError here, with its iteration and quantity, and leaves the weights alone', async () => {
    const before = await thread.weights('policy');
    const error = await thread.access('policy').step(minibatch(Number.NaN), settings).catch((e: unknown) => e);
    expect(NumericalError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ iteration: 7, quantity: 'value loss', message: 'non-finite value loss (NaN) at iteration 7; the update was not applied' });
    expect((error as RlgfError).hint).toMatch(/learning rate/);
    expect(await thread.weights('policy')).toEqual(before);
  });

  it('generates and scores with a copy of the policy: the same answers as the policy here, for sampling and greedy decoding', async () => {
    const policy = tinyLlama(5);
    try {
      const asked = {
        promptIds: [letterTokenizer.encode('q r'), letterTokenizer.encode('s')],
        forcedPrefixIds: [[id('a')], []],
        maxNewTokens: 6,
        minNewTokens: 2,
        seed: 11,
      };
      await expect(thread.generate({ ...asked, decoding: { strategy: 'sample' } })).rejects.toThrow('a copy of the policy sent first');
      await expect(thread.scoreTokens(asked.promptIds, [[id('a')], [id('b')]])).rejects.toThrow('a copy of the policy sent first');
      const weights = await policy.getWeights();
      await thread.holdPolicy({ config: policy.configJson, tokenizerFiles: policy.tokenizerFiles ?? fail('no tokenizer files'), weights });
      expect([...weights.values()].every((tensor) => tensor.data.length > 0)).toBe(true);
      for (const decoding of [{ strategy: 'sample' as const, topK: 5 }, { strategy: 'greedy' as const }]) {
        const here = await policy.generate({ ...asked, decoding });
        expect(await thread.generate({ ...asked, decoding })).toEqual(here);
      }
      // Rows of different lengths, scored as one batch on either side: bit for bit the same log-probs.
      const targets = [letterTokenizer.encode('a b c d'), letterTokenizer.encode('e')];
      const scores = await thread.scoreTokens(asked.promptIds, targets);
      expect(scores).toEqual(await policy.scoreTokens(asked.promptIds, targets));
      expect(scores.map((row) => row.slice(0, 1).every(Number.isFinite))).toEqual([true, true]);
    } finally {
      policy.dispose();
    }
  });

  it('answers a call sent right behind new weights with those weights, and never with old ones when the new fail to load', async () => {
    const first = tinyLlama(6);
    const second = tinyLlama(7);
    try {
      const asked = { promptIds: [letterTokenizer.encode('q r')], maxNewTokens: 5, decoding: { strategy: 'greedy' as const } };
      const copyOf = async (policy: typeof first) => ({ config: policy.configJson, tokenizerFiles: policy.tokenizerFiles ?? fail('no tokenizer files'), weights: await policy.getWeights() });
      await thread.holdPolicy(await copyOf(first));
      // Sent back to back, not waiting for the weights to be taken: the thread answers in order.
      const held = thread.holdPolicy(await copyOf(second));
      const answer = thread.generate(asked);
      await held;
      expect(await answer).toEqual(await second.generate(asked));
      expect(await answer).not.toEqual(await first.generate(asked));
      const broken = thread.holdPolicy({ ...(await copyOf(first)), weights: new Map() });
      const afterBroken = thread.generate(asked);
      await expect(broken).rejects.toThrow();
      await expect(afterBroken).rejects.toThrow('a copy of the policy sent first');
    } finally {
      first.dispose();
      second.dispose();
    }
  });

  it('names the roles it holds when asked for another', async () => {
    await expect(thread.weights('none' as 'policy')).rejects.toThrow('critic role: got "none", expected one of the roles this thread holds (policy, guide)');
  });

  it('leaks no tensor on this thread', async () => {
    const before = tf.memory().numTensors;
    await thread.access('policy').values(rows, 3, 2);
    await thread.access('policy').step(minibatch(1), settings);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects every request once it is closed, saying it stopped', async () => {
    const files = criticWorkerFiles() ?? fail('no worker module');
    const closed = await CriticThread.start({ backend: 'cpu', threads: 1, files });
    await closed.close();
    await expect(closed.access('policy').values(rows, 3, 2)).rejects.toThrow(/the critic thread stopped/);
  });
});

describe('CriticThread.start', () => {
  it('fails in one line, ending the thread, when the worker module cannot load or never answers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-critic-thread-'));
    await expect(CriticThread.start({ backend: 'cpu', threads: 1, files: { entry: join(dir, 'missing.mjs') } })).rejects.toThrow(/^the critic thread failed: Cannot find module/);
    const quiet = join(dir, 'quiet.mjs');
    await writeFile(quiet, '// Exits at once: nothing keeps it alive.\n');
    await expect(CriticThread.start({ backend: 'cpu', threads: 1, files: { entry: quiet } })).rejects.toThrow('the critic thread stopped (exit code 0)');
    const silent = join(dir, 'silent.mjs');
    await writeFile(silent, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => undefined); // listens, never answers\n");
    await expect(CriticThread.start({ backend: 'cpu', threads: 1, files: { entry: silent }, timeoutMs: 300 })).rejects.toThrow('the critic thread did not start within 0.3 s');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('errors across threads', () => {
  it('keep an RlgfError recognisable by name, with its hint and fields; other errors keep name and message', () => {
    const numerical = reviveError(serializeError(new NumericalError({ iteration: 3, quantity: 'value loss', value: Infinity })));
    expect(NumericalError.isInstance(numerical)).toBe(true);
    expect(numerical).toMatchObject({ iteration: 3, quantity: 'value loss', message: 'non-finite value loss (Infinity) at iteration 3; the update was not applied' });
    const plain = reviveError(serializeError(new RangeError('too far')));
    expect(RlgfError.isInstance(plain)).toBe(false);
    expect(plain).toMatchObject({ name: 'RangeError', message: 'too far' });
    expect(reviveError(serializeError('a string'))).toMatchObject({ message: 'a string' });
  });
});
