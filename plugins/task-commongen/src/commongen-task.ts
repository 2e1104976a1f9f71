import { InvalidArgumentError, type ComponentFactoryV1, type HubFilesV1, type TaskSampleV1, type TaskSplitV1, type TaskV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';
import { capsOf, commonGenTaskOptions, type CommonGenTaskOptions } from './commongen-options';
import { groupConceptSets, type ConceptSet } from './concept-sets';

/** CommonGen v1.0 (Lin et al., Findings of EMNLP 2020) on the Hub. */
export const commonGenDatasetRepo = 'allenai/common_gen';

/** The prompt of a concept set: prefix, concepts joined by the separator, suffix. */
export function commonGenPrompt(concepts: readonly string[], options: Pick<CommonGenTaskOptions, 'prefix' | 'separator' | 'suffix'>): string {
  return `${options.prefix}${concepts.join(options.separator)}${options.suffix}`;
}

function splitSpecs(options: CommonGenTaskOptions): Record<TaskSplitV1, string> {
  const caps = capsOf(options);
  const spec = (split: TaskSplitV1) => `${split} grouped by concept_set_idx, shuffled (seed ${options.orderSeed})${caps[split] === undefined ? '' : `[:${caps[split]}]`}`;
  return { train: spec('train'), validation: spec('validation'), test: spec('test') };
}

/**
 * The CommonGen task as TRIL sets it up: the policy writes a sentence that uses every concept of a
 * set; one sample per concept set in every split, with all of the set's references (the MLE loss
 * and SFT learn from each of them, CIDEr-D and SPICE compare against all of them). `meta.concepts`
 * feeds the coverage metric. Prompts are plain text, so decoder-only and encoder-decoder policies
 * read the same task.
 */
export function createCommonGenTask(settings: { readonly hub: HubFilesV1; readonly options: CommonGenTaskOptions }): TaskV1 {
  const { hub, options } = settings;
  const loaded = new Map<TaskSplitV1, Promise<ConceptSet[]>>();
  const conceptSets = (split: TaskSplitV1, abortSignal?: AbortSignal) => {
    let sets = loaded.get(split);
    if (sets === undefined) {
      sets = (async () => {
        const dataset = await openHubDataset(hub, { repo: commonGenDatasetRepo });
        const rows = await dataset.readRows(split, { columns: ['concept_set_idx', 'concepts', 'target'], abortSignal });
        const grouped = groupConceptSets(rows, `${commonGenDatasetRepo} ${split}`);
        const order = Rng.fromSeed(options.orderSeed, 'commongen-order', split).shuffle(grouped.map((_, i) => i));
        return order.map((i) => grouped[i]).slice(0, capsOf(options)[split] ?? grouped.length);
      })();
      sets.catch(() => loaded.delete(split));
      loaded.set(split, sets);
    }
    return sets;
  };

  return {
    specificationVersion: 'v1',
    id: 'commongen',
    description: `CommonGen (${commonGenDatasetRepo}): "${commonGenPrompt(['dog', 'frisbee', 'catch'], options)}" -> a sentence using every concept`,
    splits: splitSpecs(options),
    // TRIL: at most 20 new tokens, min_length 5 (for an encoder-decoder HF counts the decoder start
    // token, so EOS may come as the 5th token), 5-beam search for evaluation. Prompts are not cut:
    // they are short (TRIL's max_prompt_len is 15 T5 tokens).
    generation: { maxNewTokens: 20, minNewTokens: 4, evalDecoding: { strategy: 'beam', numBeams: 5 } },
    defaultReward: { id: 'metric-reward' },
    defaultMetrics: [{ id: 'bleu' }, { id: 'rouge' }, { id: 'meteor' }, { id: 'cider-d' }, { id: 'coverage' }],
    async doLoadSamples({ split, limit, abortSignal }): Promise<TaskSampleV1[]> {
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
        throw new InvalidArgumentError({ argument: 'limit', value: limit, expected: 'a non-negative integer' });
      }
      const sets = await conceptSets(split, abortSignal);
      return sets.slice(0, limit ?? sets.length).map((set) => ({
        id: `${split}-${set.index}`,
        prompt: commonGenPrompt(set.concepts, options),
        references: set.references,
        meta: { concepts: set.concepts, conceptSetIdx: set.index },
      }));
    },
  };
}

export const commonGenTaskFactory: ComponentFactoryV1<'task', CommonGenTaskOptions> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'commongen',
  description: 'CommonGen (TRIL/RL4LMs): "generate a sentence with: <concepts>." -> a sentence using them; reward CIDEr-D (+ SPICE)',
  optionsSchema: commonGenTaskOptions,
  async create(options, context) {
    return createCommonGenTask({ hub: context.hub, options });
  },
};
