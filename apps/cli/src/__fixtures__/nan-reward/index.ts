import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';

// A reward that breaks on purpose: NaN from its `breakAtCall`-th call on, to test that a run
// stops with a clear message and keeps its last good checkpoint.
const nanReward: ComponentFactoryV1<'reward'> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'nan-after',
  description: 'returns 0.5, then NaN from the given call on (test fixture)',
  async create(options) {
    const breakAtCall = typeof options.breakAtCall === 'number' ? options.breakAtCall : 1;
    let calls = 0;
    return {
      specificationVersion: 'v1',
      id: 'nan-after',
      granularity: 'terminal',
      async doScore({ samples }) {
        calls++;
        return { scores: samples.map(() => (calls >= breakAtCall ? Number.NaN : 0.5)), warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({ id: 'nan-reward-fixture', version: '1.0.0', kind: 'reward', description: 'test fixture', factories: [nanReward] });
