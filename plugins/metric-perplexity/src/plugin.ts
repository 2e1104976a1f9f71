import { InvalidArgumentError, type ComponentContextV1, type ComponentFactoryV1, type LanguageModelV1, type MetricV1, type WarningV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { loadLanguageModel, resolveModelReference } from '@rlgf/models';
import { resolve } from 'node:path';
import { z } from 'zod';
import { continuationPerplexity } from './perplexity';

const batchSize = z.number().int().min(1).default(16).describe('sequences per forward pass');

/** The options of the `perplexity` metric; the core validates them and `rlgf plugins --options` shows them. */
export const policyPerplexityOptions = z.strictObject({ batchSize });

/** The options of the `output-perplexity` metric. */
export const outputPerplexityOptions = z.strictObject({
  model: z.string().min(1).describe('the fixed language model: a folder or Hub id (e.g. the SFT model)'),
  batchSize,
});

function perplexityMetric(id: string, reference: string, model: (policy?: LanguageModelV1) => LanguageModelV1, textOf: (item: { prediction: string; references: readonly string[] }) => string, batchSize: number, close?: () => void): MetricV1 {
  return {
    specificationVersion: 'v1',
    id,
    reference,
    higherIsBetter: false,
    async doCompute({ items, perItem, policy }) {
      const warnings: WarningV1[] = [];
      const result = await continuationPerplexity(model(policy), items, textOf, batchSize);
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

export const policyPerplexity: ComponentFactoryV1<'metric', z.output<typeof policyPerplexityOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'perplexity',
  description: 'perplexity of the policy being trained on the references (continuing each prompt)',
  optionsSchema: policyPerplexityOptions,
  async create({ batchSize }, context) {
    // The run's evaluation hands the policy over (shared with its copies); else the registered one.
    const policy = (evaluated?: LanguageModelV1) => {
      const model = evaluated ?? context.policyModel;
      if (!model) throw new InvalidArgumentError({ argument: 'metric "perplexity"', expected: 'a run with a policy (it is the policy\'s perplexity)', hint: 'use output-perplexity with a model option outside training runs' });
      return model;
    };
    return perplexityMetric('perplexity', 'exp of the mean token NLL of the first reference given the prompt, under the current policy (RL4LMs causal_perplexity)', policy, (item) => item.references[0] ?? '', batchSize);
  },
};

async function fixedModel(source: string, context: ComponentContextV1): Promise<LanguageModelV1> {
  const local = /^\.\.?\//.test(source) ? resolve(context.workingDirectory, source) : source;
  // In a run, the run loads it (its model families; a view of the policy's base when it is the same model).
  if (context.models) return (await context.models.loadFrozen({ source: local })).model;
  const dir = await resolveModelReference({ source: local }, { hub: context.hub, cacheDir: context.cacheDir, logger: context.logger });
  return loadLanguageModel(dir, { hub: context.hub, trainable: false });
}

export const outputPerplexity: ComponentFactoryV1<'metric', z.output<typeof outputPerplexityOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'output-perplexity',
  description: 'perplexity of the predictions under a fixed language model (fluency of what the policy writes)',
  optionsSchema: outputPerplexityOptions,
  async create({ model: source, batchSize }, context) {
    const model = await fixedModel(source, context);
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
