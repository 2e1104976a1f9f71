import { besideCaller, type CriticAccess } from './critic-access';

const critic = (concurrent: boolean): CriticAccess => ({ concurrent, values: () => Promise.resolve([]), step: () => Promise.reject(new Error('unused')) });

describe('besideCaller', () => {
  it('starts the work at once for a critic on another thread, and only when asked for one on this thread', async () => {
    const order: string[] = [];
    for (const concurrent of [true, false]) {
      const result = besideCaller(critic(concurrent), async () => {
        order.push(`critic ${concurrent}`);
        return concurrent;
      });
      order.push(`caller ${concurrent}`);
      expect(await result()).toBe(concurrent);
    }
    expect(order).toEqual(['critic true', 'caller true', 'caller false', 'critic false']);
  });

  it('keeps an early failure on the other thread for the caller to meet when it asks', async () => {
    const result = besideCaller(critic(true), () => Promise.reject(new Error('the critic thread stopped')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(result()).rejects.toThrow('the critic thread stopped');
  });
});
