export { startModelServer, type ModelServer } from './server/start-model-server';
export type { ModelServerOptions } from './server/server-settings';
export { generateRows } from './generation/generate-rows';
export type { FinishReason, GeneratedRow, GenerationRow } from './generation/generation-row';
export { asServableModel, type ServableModel } from './generation/servable-model';
export { GenerationQueue, type GenerationQueueSettings, type GenerationQueueStats, type Submission } from './batching/generation-queue';
export { startRewardServer, type RewardServer, type RewardServerOptions } from './rewards/start-reward-server';
export { handleRewards, parseRewardsRequest, type RewardScoring } from './rewards/rewards-route';
export type { ChatRenderer, ChatTemplateMessage } from './chat/chat-renderer';
