import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError } from '@rlgf/contracts';
import { setBackend } from '../../backend/set-backend';
import { maskedScore } from '../../nn/attention';
import { createArchitectureRegistry } from '../registry';
import { inverseFrequencies, readRopeScaling, rotaryFeatureOrder } from '../rope';
import { slidingWindowBias } from './sliding-window';

const base = { vocab_size: 8, hidden_size: 8, intermediate_size: 8, num_hidden_layers: 2, num_attention_heads: 2 };
const parse = (json: Record<string, unknown>) => {
  const module = createArchitectureRegistry().resolve(json);
  return module.parseConfig(json);
};

describe('rotary settings', () => {
  it('divides every frequency by a linear factor; llama3 keeps high, divides low and interpolates middle frequencies', () => {
    // dim 4, theta 100: 1/100^(0/4) = 1, 1/100^(2/4) = 0.1.
    expect(Array.from(inverseFrequencies(4, 100))).toEqual([1, Math.fround(0.1)]);
    expect(Array.from(inverseFrequencies(4, 100, { type: 'linear', factor: 4 }))).toEqual([0.25, Math.fround(Math.fround(0.1) / 4)]);
    // Original context 16: wavelengths under 16/4 keep their frequency, over 16/1 divide it by 8.
    // 2π sits between: smooth = (16/2π − 1)/(4 − 1) = 0.515499, (1 − smooth)·1/8 + smooth·1 = 0.576061.
    const llama3 = inverseFrequencies(4, 100, { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 16 });
    expect(llama3[0]).toBeCloseTo(0.576061, 5);
    expect(llama3[1]).toBeCloseTo(0.1 / 8, 7);
    expect(inverseFrequencies(4, 100, { type: 'llama3', factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64 })[0]).toBe(1);
  });

  it('moves the rotating features of a partial rotation to the fronts of the two halves', () => {
    // head 8, 4 rotating: pairs (0, 2) and (1, 3) land on slots (0, 4) and (1, 5); 4..7 pass.
    expect(Array.from(rotaryFeatureOrder(8, 4))).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
    expect(Array.from(rotaryFeatureOrder(4, 4))).toEqual([0, 1, 2, 3]);
  });

  it('refuses rope_scaling types, and options, it does not implement, naming field and value', () => {
    expect(() => readRopeScaling({ model_type: 'llama', rope_scaling: { rope_type: 'dynamic', factor: 2 } })).toThrow(/rope_scaling type "dynamic" is not supported/);
    expect(() => readRopeScaling({ rope_scaling: { rope_type: 'llama3', factor: 8 } })).toThrow(/rope_scaling.low_freq_factor = undefined/);
    expect(readRopeScaling({ rope_scaling: { type: 'default' } })).toBeUndefined();
    expect(() => parse({ ...base, model_type: 'phi3', rope_scaling: { type: 'longrope', factor: 1 } })).toThrow(/rope_scaling type "longrope" is not supported for model_type "phi3"/);
    expect(() => parse({ ...base, model_type: 'qwen2', use_sliding_window: true })).toThrow(/use_sliding_window = true is not supported/);
    expect(() => parse({ ...base, model_type: 'mistral', attention_bias: true })).toThrow(ModelFormatError);
    expect(() => parse({ ...base, model_type: 'gemma2', hidden_activation: 'swish' })).toThrow(/hidden_activation = "swish" is not supported/);
    expect(() => parse({ ...base, model_type: 'gpt_neox', rotary_pct: 0.1 })).toThrow(/rotary_pct = 0.1 gives 0 rotary features/);
    expect(() => parse({ ...base, model_type: 'gemma2', layer_types: ['full_attention'] })).toThrow(/layer_types/);
  });

  it('reads each family with its defaults', () => {
    expect(parse({ ...base, model_type: 'gemma2', head_dim: 4 })).toMatchObject({ slidingWindows: [4096, undefined], attentionSoftcap: 50, finalLogitSoftcap: 30, tieWordEmbeddings: true });
    // heads of 16 features, 25% rotating: 4.
    expect(parse({ ...base, model_type: 'gpt_neox', hidden_size: 32 })).toMatchObject({ residual: 'parallel', rope: { rotaryDim: 4, theta: 10000 }, tieWordEmbeddings: false });
    expect(parse({ ...base, model_type: 'qwen3', head_dim: 6 })).toMatchObject({ headDim: 6, qkNorm: true, biases: { qkv: false, o: false } });
  });
});

describe('sliding-window bias', () => {
  beforeAll(() => setBackend('cpu'));

  it('keeps the last `window` columns of each query, its own included, on a prompt pass and a decoding step', () => {
    const m = maskedScore;
    const before = tf.memory().numTensors;
    const prompt = tf.tidy(() => slidingWindowBias(tf.zeros([1, 1, 4, 4]), 0, 2).arraySync()[0][0]);
    expect(prompt).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [m, 0, 0, 0],
      [m, m, 0, 0],
    ]);
    // Query at column 5 of a 7-column cache, window 3: columns 3, 4, 5.
    const step = tf.tidy(() => slidingWindowBias(tf.zeros([1, 1, 1, 7]), 5, 3).arraySync()[0][0][0]);
    expect(step).toEqual([m, m, m, 0, 0, 0, 0]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
