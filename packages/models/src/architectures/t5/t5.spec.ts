import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError } from '@rlgf/contracts';
import { setBackend } from '../../backend/set-backend';
import { sameBits, weightOf } from '../__fixtures__/golden-fixtures';
import { largestDifference, readBucketTables, readT5Fixture, type T5FixtureName } from './__fixtures__/t5-fixtures';
import { parseT5Config } from './t5-config';
import { T5Network } from './t5-network';
import { relativePositionBucket } from './t5-relative-position';
import { t5WeightShapes } from './t5-weights';

const fixtures: T5FixtureName[] = ['t5-v1_0-relu-tied', 't5-v1_1-gated-gelu-untied'];

function network(name: T5FixtureName, trainable = false): T5Network {
  const fixture = readT5Fixture(name);
  return new T5Network(parseT5Config(fixture.config), fixture.weights, { trainable });
}

describe('T5 relative position buckets', () => {
  it('match transformers for every distance up to 300, both directions and three settings', () => {
    const { relativePositions, tables } = readBucketTables();
    for (const table of tables) {
      const settings = { bidirectional: table.bidirectional, numBuckets: table.num_buckets, maxDistance: table.max_distance };
      expect(relativePositions.map((relative) => relativePositionBucket(relative, settings))).toEqual(table.buckets);
    }
  });
});

describe.each(['cpu', 'wasm'] as const)('T5 on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it.each(fixtures)('matches the PyTorch reference logits and decoder states of %s to 1e-4', (name) => {
    const fixture = readT5Fixture(name);
    const net = network(name);
    const before = tf.memory().numTensors;
    const { logits, hidden } = tf.tidy(() => {
      const mask = tf.tensor2d(fixture.attentionMask, undefined, 'float32');
      const encoded = net.encode(tf.tensor2d(fixture.inputIds, undefined, 'int32'), mask);
      const memory = net.crossAttentionMemory(encoded, mask);
      const output = net.decode({ ids: tf.tensor2d(fixture.decoderInputIds, undefined, 'int32'), start: 0, memory });
      return { logits: output.logits.arraySync(), hidden: output.hidden.arraySync() };
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(largestDifference(logits, fixture.logits)).toBeLessThan(1e-4);
    expect(largestDifference(hidden, fixture.decoderHidden)).toBeLessThan(1e-4);
    net.dispose();
  });

  it.each(fixtures)('gives back bit-exact weights of %s under their Hugging Face names', async (name) => {
    const fixture = readT5Fixture(name);
    const net = network(name, true);
    const saved = await net.toWeightMap();
    expect([...saved.keys()].sort()).toEqual([...fixture.weights.keys()].sort());
    for (const [key, tensor] of fixture.weights) expect(sameBits(weightOf(saved, key), tensor)).toBe(true);
    net.dispose();
  });
});

describe('T5 config and weights', () => {
  it('reads the feed-forward of v1.0, v1.1 and variants', () => {
    expect(parseT5Config({ feed_forward_proj: 'relu' })).toMatchObject({ activation: 'relu', gated: false });
    expect(parseT5Config({ feed_forward_proj: 'gated-gelu' })).toMatchObject({ activation: 'gelu_new', gated: true });
    expect(parseT5Config({ feed_forward_proj: 'gated-silu' })).toMatchObject({ activation: 'silu', gated: true });
    expect(parseT5Config({})).toMatchObject({ decoderStartTokenId: 0, eosTokenIds: [1], tieWordEmbeddings: true, numDecoderLayers: 6 });
    expect(() => parseT5Config({ feed_forward_proj: 'gated-swish' })).toThrow(ModelFormatError);
    expect(() => parseT5Config({ feed_forward_proj: 'gelu-relu' })).toThrow(/feed_forward_proj/);
  });

  it('loads the embedding from encoder.embed_tokens when shared.weight is absent, and names a missing tensor', async () => {
    const fixture = readT5Fixture('t5-v1_0-relu-tied');
    const config = parseT5Config(fixture.config);
    const renamed = new Map(fixture.weights);
    renamed.set('encoder.embed_tokens.weight', weightOf(fixture.weights, 'shared.weight'));
    renamed.delete('shared.weight');
    const net = new T5Network(config, renamed, { trainable: false });
    expect(sameBits(weightOf(await net.toWeightMap(), 'shared.weight'), weightOf(fixture.weights, 'shared.weight'))).toBe(true);
    net.dispose();
    const missing = new Map(fixture.weights);
    missing.delete('decoder.block.2.layer.1.EncDecAttention.k.weight');
    expect(() => new T5Network(config, missing, { trainable: false })).toThrow(/missing tensor decoder\.block\.2\.layer\.1\.EncDecAttention\.k\.weight/);
    expect(t5WeightShapes(config).get('decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight')).toEqual([8, 4]);
    expect(t5WeightShapes(config).has('decoder.block.1.layer.0.SelfAttention.relative_attention_bias.weight')).toBe(false);
  });
});
