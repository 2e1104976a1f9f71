import { definePlugin } from '@rlgf/core';
import { filesTaskFactory } from './files-task';

export { filesTaskOptions, type FilesTaskOptions } from './files-options';
export { createFilesTask, defaultSplitSpecs, filesTaskFactory, rowToSample } from './files-task';

export const plugin = definePlugin({
  id: '@rlgf/task-files',
  version: '0.1.0',
  kind: 'task',
  description: 'a task from your own data files (JSON Lines, CSV, parquet) or a Hub dataset',
  factories: [filesTaskFactory],
});
