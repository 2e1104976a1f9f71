import { definePlugin } from '@rlgf/core';
import { imdbTaskFactory } from './imdb-task';

export const plugin = definePlugin({
  id: '@rlgf/task-imdb',
  version: '0.1.0',
  kind: 'task',
  description: 'the IMDB positive-continuation task (stanfordnlp/imdb)',
  factories: [imdbTaskFactory],
});
