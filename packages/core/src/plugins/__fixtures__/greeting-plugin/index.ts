import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '../../define-plugin';

// A metric that counts greetings: enough to check loading and registration, nothing more.
const greetingMetric: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'greetings',
  description: 'share of predictions that contain a greeting word',
  async create(options) {
    const word = typeof options.word === 'string' ? options.word : 'hello';
    return {
      specificationVersion: 'v1',
      id: 'greetings',
      reference: 'none (test fixture)',
      higherIsBetter: true,
      async doCompute({ items }) {
        const hits = items.filter((item) => item.prediction.includes(word)).length;
        return { corpus: { greetings: items.length === 0 ? 0 : hits / items.length }, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: 'greeting-plugin',
  version: '1.0.0',
  kind: 'metric',
  description: 'test fixture',
  factories: [greetingMetric],
});
