export {
  defaultRevisionCommit,
  startHubServer,
  type HubServer,
  type HubServerOptions,
  type HubServerRequest,
} from './hub-server/start-hub-server';
export { sharedHubMirror } from './hub-server/shared-hub-mirror';
export { describeGuideContract, type GuideContractOptions } from './contracts/describe-guide-contract';
export { describeMetricContract, type MetricContractOptions } from './contracts/describe-metric-contract';
export { describeRewardContract, type RewardContractOptions } from './contracts/describe-reward-contract';
export { describeTaskContract, type TaskContractOptions } from './contracts/describe-task-contract';
export { rejectionOf } from './assertions/rejection-of';
export { createVirtualClock, type VirtualClock } from './clock/virtual-clock';
export {
  chatCompletionBody,
  completionBody,
  defaultCompletionText,
  type CompletionReply,
  type CompletionRequest,
  type CompletionServerState,
} from './fault-server/completion-replies';
export { echoContinuation } from './fault-server/echo-continuation';
export { startCompletionServer, type CompletionServer, type CompletionServerOptions } from './fault-server/start-completion-server';
