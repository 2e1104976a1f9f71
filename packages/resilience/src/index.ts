export { fullJitterDelay, retryDelay, type BackoffPolicy } from './backoff';
export { createCallStats, type CallStats } from './call-stats';
export {
  callWithRetries,
  type AttemptContext,
  type CallOptions,
  type CallOutcome,
  type RetryEvent,
  type RetryPolicy,
} from './call-with-retries';
export {
  classifyFailure,
  failureKinds,
  statusOfError,
  type Failure,
  type FailureKind,
  type ObservedResponse,
} from './classify-failure';
export { systemClock, type Clock } from './clock';
export { createConcurrencyLimiter, type ConcurrencyLimiter } from './concurrency-limiter';
export { createDeadline, type Deadline } from './deadline';
export { callOptionsShape, endpointUrlSchema, modelNameSchema, tokenReferenceSchema, type TokenReference } from './endpoint-options';
export { linkSignals, timeoutError, type LinkedSignal } from './linked-signal';
export { observeFetch, type FetchObserver } from './observe-fetch';
export { redactSecrets } from './redact';
export { checkTextGuideRequest, runSampleBatch, type SampleContext } from './sample-batch';
export { parseRetryAfter } from './retry-after';
