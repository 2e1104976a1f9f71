import { rejectionOf } from './rejection-of';

describe('rejectionOf', () => {
  it('returns the rejection', async () => {
    const error = new RangeError('bad');
    await expect(rejectionOf(Promise.reject(error))).resolves.toBe(error);
  });

  it('fails when the promise resolves', async () => {
    await expect(rejectionOf(Promise.resolve({ ok: 1 }))).rejects.toThrow('expected a rejection, but the promise resolved to {"ok":1}');
  });
});
