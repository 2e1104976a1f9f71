import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { loadLanguageModel, resolveModelReference } from '@rlgf/models';
import { resolve } from 'node:path';
import { LocalGuide, sameTokenizer } from './local-guide';
import { localGuideOptions, type LocalGuideOptions } from './local-guide-options';

export const localGuideFactory: ComponentFactoryV1<'guide', LocalGuideOptions> = {
  specificationVersion: 'v1',
  kind: 'guide',
  id: 'local',
  description: 'a guide model loaded in this process (its own frozen weights; nucleus p = 0.92 by default)',
  optionsSchema: localGuideOptions,
  async create(options, context) {
    const local = /^\.\.?\//.test(options.model.source);
    const reference = local ? { ...options.model, source: resolve(context.workingDirectory, options.model.source) } : options.model;
    // In a run, the run loads it: with its model families, and as a view of the policy's weights
    // when a LoRA run's policy names the same model (no second copy).
    const loaded = context.models
      ? await context.models.loadFrozen(reference)
      : { model: await loadLanguageModel(await resolveModelReference(reference, { hub: context.hub, cacheDir: context.cacheDir, logger: context.logger }), { hub: context.hub, revision: options.model.revision, trainable: false }), shared: false };
    const model = loaded.model;
    const policyTokenizer = context.policyTokenizer;
    const tokenization =
      options.tokenization !== 'auto' ? options.tokenization : policyTokenizer && sameTokenizer(model.tokenizer, policyTokenizer) ? 'shared' : 'text';
    context.logger.info(`guide: ${options.model.source} (${model.info.parameterCount} parameters, ${tokenization} tokenization${loaded.shared ? ", sharing the policy's base weights" : ''})`);
    return new LocalGuide(model, tokenization, options.decoding, options.batchSize);
  },
};

export const plugin = definePlugin({
  id: '@rlgf/guide-local',
  version: '0.1.0',
  kind: 'guide',
  description: 'guides that run in the learner process from a local or Hub checkpoint',
  factories: [localGuideFactory],
});
