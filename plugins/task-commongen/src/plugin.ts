import { definePlugin } from '@rlgf/core';
import { commonGenTaskFactory } from './commongen-task';

export const plugin = definePlugin({
  id: '@rlgf/task-commongen',
  version: '0.1.0',
  kind: 'task',
  description: 'the CommonGen concept-to-sentence task (allenai/common_gen)',
  factories: [commonGenTaskFactory],
});
