import { InvalidArgumentError, type ComponentFactoryV1, type HubFilesV1, type TaskSampleV1, type TaskSplitV1, type TaskV1 } from '@rlgf/contracts';
import { openHubDataset, type HubDataset } from '@rlgf/datasets';
import { cleanReview } from './clean-review';
import { cutPrompt } from './cut-prompt';
import { imdbTaskOptions, type ImdbTaskOptions } from './imdb-options';
import { readRowsAt } from './row-reads';
import { splitRows } from './split-plan';

/** The Large Movie Review Dataset (Maas et al., 2011) on the Hub, config `plain_text`. */
export const imdbDatasetRepo = 'stanfordnlp/imdb';

const capsOf = (options: ImdbTaskOptions) => ({ train: options.trainSize, validation: options.validationSize, test: options.testSize });

function splitSpecs(options: ImdbTaskOptions): Record<TaskSplitV1, string> {
  const seed = `shuffle(seed=${options.splitSeed})`;
  const caps = capsOf(options);
  const capped = (spec: string, split: TaskSplitV1) => (caps[split] === undefined ? spec : `${spec}[:${caps[split]}]`);
  return {
    train: capped(`train.${seed}[:80%]`, 'train'),
    validation: capped(`train.${seed}[80%:]`, 'validation'),
    test: capped(`test.${seed}`, 'test'),
  };
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new InvalidArgumentError({ argument: 'limit', value: limit, expected: 'a non-negative integer' });
  }
}

/**
 * The IMDB sentiment-continuation task of RL4LMs and TRIL: the policy continues the start of a
 * movie review (of either label) and is rewarded for a positive continuation.
 */
export function createImdbTask(settings: { readonly hub: HubFilesV1; readonly options: ImdbTaskOptions }): TaskV1 {
  const { hub, options } = settings;
  let opened: Promise<{ dataset: HubDataset; rows: { train: number; test: number } }> | undefined;
  const labelColumns = new Map<string, Promise<number[]>>();
  // One narrow read of the label column per dataset split, only when reviews are filtered by label.
  const labelsOf = (dataset: HubDataset, source: string) => {
    let labels = labelColumns.get(source);
    if (!labels) {
      labels = dataset.readRows(source, { columns: ['label'] }).then((rows) => rows.map((row) => Number(row.label)));
      labelColumns.set(source, labels);
    }
    return labels;
  };
  const open = () => {
    opened ??= (async () => {
      const dataset = await openHubDataset(hub, { repo: imdbDatasetRepo });
      const [train, test] = await Promise.all([dataset.numRows('train'), dataset.numRows('test')]);
      return { dataset, rows: { train, test } };
    })();
    opened.catch(() => (opened = undefined));
    return opened;
  };

  return {
    specificationVersion: 'v1',
    id: 'imdb',
    description: `IMDB reviews (${imdbDatasetRepo}): continue the first ${options.promptTokens} policy tokens of a review positively`,
    splits: splitSpecs(options),
    // The authors generate 48 tokens with top-k 50 sampling for training and evaluation.
    // Their `min_length: 48` counts the prompt in Hugging Face's generate, so it never binds
    // with 64-token prompts; an IMDB-tuned GPT-2 rarely ends a review early anyway. A policy
    // trained on stories stops at each story's end, so EOS is held back for all 48 tokens here
    // and every continuation the reward compares has the same length.
    generation: { maxNewTokens: 48, minNewTokens: 48, maxPromptTokens: options.promptTokens, evalDecoding: { strategy: 'sample', topK: 50 } },
    defaultReward: { id: 'sentiment' },
    defaultMetrics: [{ id: 'sentiment' }, { id: 'diversity' }],
    async doLoadSamples({ split, tokenizer, limit, abortSignal }): Promise<TaskSampleV1[]> {
      if (!tokenizer) {
        throw new InvalidArgumentError({
          argument: 'tokenizer',
          expected: `the policy tokenizer: imdb prompts are the first ${options.promptTokens} policy tokens of each review`,
          hint: 'pass the policy tokenizer to doLoadSamples',
        });
      }
      checkLimit(limit);
      const { dataset, rows } = await open();
      const plan = splitRows(split, { datasetRows: rows, splitSeed: options.splitSeed, caps: capsOf(options) });
      const labels = options.labels.length === 2 ? undefined : await labelsOf(dataset, plan.source);
      const kept = labels === undefined ? plan.rows : plan.rows.filter((row) => (options.labels as readonly number[]).includes(labels[row]));
      const wanted = kept.slice(0, limit ?? kept.length);
      const records = await readRowsAt(dataset, plan.source, wanted, ['text', 'label'], abortSignal);
      return records.map((record, i) => {
        abortSignal?.throwIfAborted();
        const cut = cutPrompt(cleanReview(String(record.text), options.lineBreaks), tokenizer, options.promptTokens);
        return {
          id: `${plan.source}-${wanted[i]}`,
          prompt: cut.prompt,
          promptIds: cut.promptIds,
          references: [cut.reference],
          meta: { label: Number(record.label), datasetSplit: plan.source, datasetRow: wanted[i] },
        };
      });
    },
  };
}

export const imdbTaskFactory: ComponentFactoryV1<'task', ImdbTaskOptions> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'imdb',
  description: 'IMDB positive continuation (RL4LMs/TRIL): prompt = first 64 policy tokens of a review, reward = P(positive)',
  optionsSchema: imdbTaskOptions,
  async create(options, context) {
    return createImdbTask({ hub: context.hub, options });
  },
};
