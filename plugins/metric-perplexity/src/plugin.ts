import { InvalidArgumentError, type ComponentContextV1, type ComponentFactoryV1, type LanguageModelV1, type MetricV1, type WarningV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { loadLanguageModel, resolveModelReference } from '@rlgf/models';
import { resolve } from 'node:path';
import { continuationPerplexity } from './perplexity';

function batchSizeOf(options: Readonly<Record<string, unknown>>, kind: string): number {
  const batchSize = options.batchSize ?? 16;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError({ argument: `${kind}.options.batchSize`, value: batchSize, expected: 'a positive integer' });
  }
  return batchSize;
}

function perplexityMetric(id: string, reference: string, model: () => LanguageModelV1, textOf: (item: { prediction: string; references: readonly string[] }) => string, batchSize: number, close?: () => void): MetricV1 {
  return {
    specificationVersion: 'v1',
    id,
    reference,
    higherIsBetter: false,
    async doCompute({ items, perItem }) {
      const warnings: WarningV1[] = [];
      const result = await continuationPerplexity(model(), items, textOf, batchSize);
      const skipped = result.perItem.filter(Number.isNaN).length;
      if (skipped > 0) warnings.push({ type: 'empty-text', message: `${id}: ${skipped} item(s) had no tokens to score and were left out` });
      return {
        corpus: { [id]: Number.isFinite(result.corpus) ? result.corpus : 0 },
        perItem: perItem ? { [id]: result.perItem.map((value) => (Number.isFinite(value) ? value : 0)) } : undefined,
        warnings,
      };
    },
    async close() {
      close?.();
    },
  };
}

export const policyPerplexity: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'perplexity',
  description: 'perplexity of the policy being trained on the references (continuing each prompt)',
  options: { batchSize: 'sequences per forward pass (default 16)' },
  async create(options, context) {
    const batchSize = batchSizeOf(options, 'metric');
    const policy = () => {
      const model = context.policyModel;
      if (!model) throw new InvalidArgumentError({ argument: 'metric "perplexity"', expected: 'a run with a policy (it is the policy\'s perplexity)', hint: 'use output-perplexity with a model option outside training runs' });
      return model;
    };
    return perplexityMetric('perplexity', 'exp of the mean token NLL of the first reference given the prompt, under the current policy (RL4LMs causal_perplexity)', policy, (item) => item.references[0] ?? '', batchSize);
  },
};

async function fixedModel(options: Readonly<Record<string, unknown>>, context: ComponentContextV1): Promise<LanguageModelV1> {
  const source = options.model;
  if (typeof source !== 'string' || source === '') {
    throw new InvalidArgumentError({ argument: 'metric.options.model', value: source, expected: 'the fixed language model: a folder or Hub id (e.g. the SFT model)' });
  }
  const local = /^\.\.?\//.test(source) ? resolve(context.workingDirectory, source) : source;
  // In a run, the run loads it (its model families; a view of the policy's base when it is the same model).
  if (context.models) return (await context.models.loadFrozen({ source: local })).model;
  const dir = await resolveModelReference({ source: local }, { hub: context.hub, cacheDir: context.cacheDir, logger: context.logger });
  return loadLanguageModel(dir, { hub: context.hub, trainable: false });
}

export const outputPerplexity: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'output-perplexity',
  description: 'perplexity of the predictions under a fixed language model (fluency of what the policy writes)',
  options: { model: 'the fixed language model: a folder or Hub id (required)', batchSize: 'sequences per forward pass (default 16)' },
  async create(options, context) {
    const batchSize = batchSizeOf(options, 'metric');
    const model = await fixedModel(options, context);
    return perplexityMetric('output-perplexity', 'exp of the mean token NLL of each prediction given its prompt, under a fixed LM (RL4LMs causal_output_perplexity)', () => model, (item) => item.prediction, batchSize, () => model.dispose());
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-perplexity',
  version: '0.1.0',
  kind: 'metric',
  description: 'perplexity of the policy on references and of the outputs under a fixed LM',
  factories: [policyPerplexity, outputPerplexity],
});
