import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../backend/set-backend';
import { KvCache } from './kv-cache';

describe.each(['cpu', 'wasm'])('KvCache on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it.each([true, false])('writes columns into the preallocated buffer (in place: %s) and reorders rows', (writeInPlace) => {
    const before = tf.memory().numTensors;
    const cache = new KvCache(1, 2, 2, 4, 3, { writeInPlace });
    // [B=2, s=2, H=2, D=3]: values encode (b, t, h, d).
    const update = tf.tensor4d(Array.from({ length: 24 }, (_, i) => i + 1), [2, 2, 2, 3]);
    const values = tf.mul(update, -1) as tf.Tensor4D;
    cache.write(0, update, values, 1);
    const key = cache.key(0).arraySync();
    expect(key[0][0]).toEqual([[0, 0, 0], [1, 2, 3], [7, 8, 9], [0, 0, 0]]);
    expect(key[1][1]).toEqual([[0, 0, 0], [16, 17, 18], [22, 23, 24], [0, 0, 0]]);
    expect(cache.value(0).arraySync()[1][1][2]).toEqual([-22, -23, -24]);
    cache.selectRows([1, 1]);
    expect(cache.key(0).arraySync()[0]).toEqual(key[1]);
    tf.dispose([update, values]);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
