import * as tf from '@tensorflow/tfjs-core';
import { describeOnBackends } from '../backend/__fixtures__/backend-suites';
import { setBackend } from '../backend/set-backend';
import { KvCache } from './kv-cache';

describeOnBackends('KvCache on %s', ['cpu', 'wasm', 'webgpu'], (backend) => {
  beforeAll(() => setBackend(backend));

  it.each([true, false])('writes columns into the preallocated buffer (in place: %s) and reorders rows', async (writeInPlace) => {
    const before = tf.memory().numTensors;
    const cache = new KvCache(1, 2, 2, 4, 3, { writeInPlace });
    // [B=2, s=2, H=2, D=3]: values encode (b, t, h, d).
    const update = tf.tensor4d(Array.from({ length: 24 }, (_, i) => i + 1), [2, 2, 2, 3]);
    const values = tf.mul(update, -1) as tf.Tensor4D;
    const buffer = cache.key(0);
    cache.write(0, update, values, 1);
    // In place (wasm, cpu: host memory; webgpu: a copy into the GPU buffer) keeps the same tensor.
    expect(cache.key(0) === buffer).toBe(writeInPlace);
    const key = await cache.key(0).array();
    expect(key[0][0]).toEqual([[0, 0, 0], [1, 2, 3], [7, 8, 9], [0, 0, 0]]);
    expect(key[1][1]).toEqual([[0, 0, 0], [16, 17, 18], [22, 23, 24], [0, 0, 0]]);
    expect((await cache.value(0).array())[1][1][2]).toEqual([-22, -23, -24]);
    cache.selectRows([1, 1]);
    expect((await cache.key(0).array())[0]).toEqual(key[1]);
    tf.dispose([update, values]);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
