import type { ModelArchitecture } from '../../model/model-architecture';
import { Seq2SeqLanguageModel, type Seq2SeqNetworkBuilder } from '../../model/seq2seq-language-model';
import { randomWeightMap } from '../../weights/random-weights';
import { parseT5Config } from './t5-config';
import { T5Network } from './t5-network';
import { t5InitialStd, t5WeightShapes } from './t5-weights';

export { parseT5Config, type T5Config } from './t5-config';
export { T5Network } from './t5-network';
export { relativePositionBucket, type RelativePositionSettings } from './t5-relative-position';

/** The T5 family (`T5ForConditionalGeneration`: T5 v1.0, v1.1, Flan-T5; mT5 shares the architecture). */
export const t5Architecture: ModelArchitecture = {
  modelTypes: ['t5', 'mt5'],
  architectures: ['T5ForConditionalGeneration', 'MT5ForConditionalGeneration'],
  loraTargetModules: ['q', 'k', 'v', 'o', 'wi', 'wi_0', 'wi_1', 'wo'],
  createModel(json, weights, tokenizer, options) {
    const config = parseT5Config(json);
    const build: Seq2SeqNetworkBuilder = (networkWeights, networkOptions) => new T5Network(config, networkWeights, networkOptions);
    return new Seq2SeqLanguageModel(build(weights, { trainable: options.trainable }), tokenizer, build, options.tokenizerFiles);
  },
  randomWeights(json, options) {
    const config = parseT5Config(json);
    return randomWeightMap(t5WeightShapes(config), { ...options, stdOf: (name) => t5InitialStd(config, name) });
  },
};
