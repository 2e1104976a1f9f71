import type { ComponentFactoryV1, TaskSampleV1, TaskSplitV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';

/**
 * A stand-in for the `tldr` task plugin (plugins do not import each other): the posts of
 * CarperAI/openai_summarize_tldr by split spec, prompts uncut, `meta.sourcePrompt` as the real
 * task sets it. Enough for the trainer, which only reads the task contract.
 */
function postsTask(splits: Readonly<Record<TaskSplitV1, string>>): ComponentFactoryV1<'task'> {
  return {
    specificationVersion: 'v1',
    kind: 'task',
    id: 'tldr',
    description: 'TL;DR posts, uncut (test stand-in)',
    async create(_, context) {
      const dataset = await openHubDataset(context.hub, { repo: 'CarperAI/openai_summarize_tldr' });
      return {
        specificationVersion: 'v1',
        id: 'tldr',
        description: 'TL;DR posts, uncut',
        splits,
        generation: { maxNewTokens: 50, evalDecoding: { strategy: 'greedy' } },
        defaultReward: { id: 'reward-model' },
        defaultMetrics: [],
        async doLoadSamples({ split }): Promise<TaskSampleV1[]> {
          const rows = await dataset.readRows(splits[split], { columns: ['prompt', 'label'] });
          return rows.map((row, i) => ({ id: `${split}-${i}`, prompt: String(row.prompt), references: [` ${String(row.label)}`], meta: { sourcePrompt: String(row.prompt) } }));
        },
      };
    },
  };
}

export function tldrPostsPlugin(splits: Readonly<Record<TaskSplitV1, string>>) {
  return definePlugin({ id: 'tldr-posts-stand-in', version: '0.0.0', kind: 'task', description: 'test stand-in for the tldr task', factories: [postsTask(splits)] });
}
