import { definePlugin } from '@rlgf/core';
import { tensorboardTrackerFactory } from './tensorboard-tracker';

export const plugin = definePlugin({
  id: '@rlgf/tracker-tensorboard',
  version: '0.1.0',
  kind: 'tracker',
  description: 'TensorBoard event files for training runs',
  factories: [tensorboardTrackerFactory],
});
