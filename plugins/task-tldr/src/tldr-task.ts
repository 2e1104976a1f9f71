import { InvalidArgumentError, type ComponentFactoryV1, type HubFilesV1, type TaskSampleV1, type TaskV1 } from '@rlgf/contracts';
import { openHubDataset, parseSplitSpec, resolveSplitRanges, type HubDataset } from '@rlgf/datasets';
import { cutTldrPrompt } from './cut-tldr-prompt';
import { splitsOf, tldrTaskOptions, type TldrTaskOptions } from './tldr-options';
import { headerFields, splitTldrPrompt } from './tldr-prompt';

/** 500 posts of the filtered Reddit TL;DR test split (Stiennon et al. 2020; Völske et al. 2017). */
export const tldrDatasetRepo = 'CarperAI/openai_summarize_tldr';

/** The reference as the text after `TL;DR:`: one space, then the label without surrounding whitespace. */
export function referenceOf(label: string): string {
  return ` ${label.trim()}`;
}

/** `{ split, row }` of every row a split spec selects, in its order. */
async function specRows(dataset: HubDataset, spec: string): Promise<{ split: string; row: number }[]> {
  const splits = dataset.splits();
  const counts = Object.fromEntries(await Promise.all(splits.map(async (split) => [split, await dataset.numRows(split)] as const)));
  return resolveSplitRanges(spec, parseSplitSpec(spec), counts).flatMap((range) =>
    Array.from({ length: range.end - range.start }, (_, i) => ({ split: range.split, row: range.start + i })),
  );
}

/**
 * Reddit TL;DR summarization (Stiennon et al. 2020, as in TRIL): the policy writes the summary
 * after `TL;DR:`. Prompts longer than `maxPromptTokens` policy tokens lose whole words from the
 * start of the post, never the header or the suffix.
 */
export function createTldrTask(settings: { readonly hub: HubFilesV1; readonly options: TldrTaskOptions }): TaskV1 {
  const { hub, options } = settings;
  let opened: Promise<HubDataset> | undefined;
  const open = () => {
    opened ??= openHubDataset(hub, { repo: tldrDatasetRepo });
    opened.catch(() => (opened = undefined));
    return opened;
  };
  const rewardModel = { model: options.rewardModel };

  return {
    specificationVersion: 'v1',
    id: 'tldr',
    description: `Reddit TL;DR summaries (${tldrDatasetRepo}): prompts of at most ${options.maxPromptTokens} policy tokens, 50 new tokens`,
    splits: splitsOf(options),
    // TRIL's TL;DR config: 50 new tokens, greedy decoding for evaluation.
    generation: { maxNewTokens: 50, maxPromptTokens: options.maxPromptTokens, evalDecoding: { strategy: 'greedy' } },
    defaultReward: { id: 'reward-model', options: rewardModel },
    defaultMetrics: [{ id: 'reward-model', options: rewardModel }, { id: 'rouge' }, { id: 'diversity' }, { id: 'perplexity' }],
    async doLoadSamples({ split, tokenizer, limit, abortSignal }): Promise<TaskSampleV1[]> {
      if (!tokenizer) {
        throw new InvalidArgumentError({
          argument: 'tokenizer',
          expected: `the policy tokenizer: tldr prompts are cut to ${options.maxPromptTokens} policy tokens`,
          hint: 'pass the policy tokenizer to doLoadSamples',
        });
      }
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
        throw new InvalidArgumentError({ argument: 'limit', value: limit, expected: 'a non-negative integer' });
      }
      const dataset = await open();
      const spec = splitsOf(options)[split];
      const [rows, where] = await Promise.all([dataset.readRows(spec, { columns: ['prompt', 'label'], limit, abortSignal }), specRows(dataset, spec)]);
      return rows.map((row, i) => {
        abortSignal?.throwIfAborted();
        const sourcePrompt = String(row.prompt);
        const cut = cutTldrPrompt(sourcePrompt, tokenizer, options.maxPromptTokens);
        const { subreddit, title } = headerFields(splitTldrPrompt(sourcePrompt).header);
        return {
          id: `${where[i].split}-${where[i].row}`,
          prompt: cut.prompt,
          promptIds: cut.promptIds,
          references: [referenceOf(String(row.label))],
          meta: { datasetSplit: where[i].split, datasetRow: where[i].row, subreddit, title, sourcePrompt, droppedCharacters: cut.droppedCharacters },
        };
      });
    },
  };
}

export const tldrTaskFactory: ComponentFactoryV1<'task', TldrTaskOptions> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'tldr',
  description: 'Reddit TL;DR summarization (TRIL): prompt = post cut to the policy budget, reward = a learned reward model',
  optionsSchema: tldrTaskOptions,
  async create(options, context) {
    return createTldrTask({ hub: context.hub, options });
  },
};
