export { crc32c, maskedCrc32c } from './crc32c';
export { EventFile, tfRecord, type SummaryValue } from './event-file';
export { plugin } from './plugin';
export { createTensorboardTracker, tensorboardTrackerFactory, tensorboardTrackerOptions, type TensorboardTrackerOptions } from './tensorboard-tracker';
