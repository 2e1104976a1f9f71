import { DatasetError, type ComponentFactoryV1, type TaskSampleV1, type TaskSplitV1, type TaskV1 } from '@rlgf/contracts';
import { openHubDataset, openLocalDataset, type DatasetRow, type HubDataset } from '@rlgf/datasets';
import { filesTaskOptions, type FilesTaskOptions } from './files-options';

/** Task split -> split spec: the recipe's, else the data's own splits, cutting validation off train when there is none. */
export function defaultSplitSpecs(available: readonly string[], given: FilesTaskOptions['splits']): Record<TaskSplitV1, string> {
  const has = (name: string) => available.includes(name);
  const source = has('train') ? 'train' : available[0];
  const train = given.train ?? (has('validation') ? source : `${source}[:90%]`);
  const validation = given.validation ?? (has('validation') ? 'validation' : `${source}[90%:]`);
  return { train, validation, test: given.test ?? (has('test') ? 'test' : validation) };
}

function missingColumn(name: string, what: string, row: DatasetRow, dataset: HubDataset): DatasetError {
  return new DatasetError({
    message: `${dataset.repo} has no column "${name}" (${what}); its columns: ${Object.keys(row).join(', ')}`,
    hint: `map the column with the task option ${what === 'the prompt' ? '`prompt` (or `template`)' : what === 'references' ? '`references`' : '`id` or `meta`'}`,
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** The sample of one row: prompt from its column or the template, references as a list, the other columns as meta. */
export function rowToSample(row: DatasetRow, fallbackId: string, options: FilesTaskOptions, dataset: HubDataset): TaskSampleV1 {
  let prompt: string;
  if (options.template !== undefined) {
    prompt = options.template.replace(/\{(\w+)\}/g, (_, name: string) => {
      if (!(name in row)) throw missingColumn(name, 'the prompt', row, dataset);
      return text(row[name]);
    });
  } else {
    if (!(options.prompt in row)) throw missingColumn(options.prompt, 'the prompt', row, dataset);
    prompt = text(row[options.prompt]);
  }
  const referenceColumns = options.references === undefined ? ('reference' in row ? ['reference'] : []) : [options.references].flat();
  const references = referenceColumns.flatMap((name) => {
    if (!(name in row)) throw missingColumn(name, 'references', row, dataset);
    const value = row[name];
    return Array.isArray(value) ? value.map(text) : value === null || value === undefined ? [] : [text(value)];
  });
  if (options.id !== undefined && !(options.id in row)) throw missingColumn(options.id, 'the id', row, dataset);
  const used = new Set([options.prompt, ...referenceColumns, ...(options.id === undefined ? [] : [options.id])]);
  const metaColumns = options.meta ?? Object.keys(row).filter((name) => !used.has(name));
  const meta = Object.fromEntries(metaColumns.map((name) => [name, row[name]]));
  return { id: options.id === undefined ? fallbackId : text(row[options.id]), prompt, references, meta };
}

/**
 * A task over your own rows: local JSON Lines, CSV or parquet files, or a Hub dataset, read with
 * the same split slicing as Hub datasets. `dataset` is opened by the factory (it reads only file
 * lists and footers), so the split specs are known when the task is created.
 */
export function createFilesTask(dataset: HubDataset, options: FilesTaskOptions): TaskV1 {
  const splits = defaultSplitSpecs(dataset.splits(), options.splits);
  return {
    specificationVersion: 'v1',
    id: 'files',
    description: `prompts from ${dataset.repo}`,
    splits,
    generation: { maxNewTokens: options.maxNewTokens, minNewTokens: options.minNewTokens, maxPromptTokens: options.maxPromptTokens, evalDecoding: options.evalDecoding },
    defaultReward: options.reward,
    defaultMetrics: options.metrics,
    async doLoadSamples({ split, limit, abortSignal }) {
      const rows = await dataset.readRows(splits[split], { limit, abortSignal });
      return rows.map((row, index) => rowToSample(row, `${splits[split]}#${index}`, options, dataset));
    },
  };
}

export const filesTaskFactory: ComponentFactoryV1<'task', FilesTaskOptions> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'files',
  description: 'your own data: prompts and references from local .jsonl/.csv/.parquet files or a Hub dataset, columns and splits mapped in the recipe',
  optionsSchema: filesTaskOptions,
  async create(options, context) {
    const dataset =
      options.data !== undefined
        ? openLocalDataset(options.data, { baseDir: context.workingDirectory })
        : await openHubDataset(context.hub, { repo: options.dataset as string, config: options.config, revision: options.revision });
    return createFilesTask(dataset, options);
  },
};
