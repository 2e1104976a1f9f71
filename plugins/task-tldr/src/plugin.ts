import { definePlugin } from '@rlgf/core';
import { winRateMetricFactory } from './judge/win-rate-metric';
import { tldrTaskFactory } from './tldr-task';

export const plugin = definePlugin({
  id: '@rlgf/task-tldr',
  version: '0.1.0',
  kind: 'bundle',
  description: 'the Reddit TL;DR summarization task (CarperAI/openai_summarize_tldr) and its LLM-judged win-rate metric',
  factories: [tldrTaskFactory, winRateMetricFactory],
});
