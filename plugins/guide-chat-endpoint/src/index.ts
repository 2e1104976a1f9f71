export { AnswerCache, answerKey, type AnswerCacheSettings, type CachedAnswer } from './answer-cache';
export { ChatEndpointGuide, type ChatEndpointGuideSettings } from './chat-endpoint-guide';
export { continuationMessages, type ChatMessage, type ChatRequestBody } from './chat-request';
export { cleanContinuation } from './clean-continuation';
export { chatEndpointGuideOptions, resolveGuideOptions, type GuideOptions } from './guide-options';
export { chatEndpointGuideFactory, createChatEndpointGuideFactory, plugin, type ChatEndpointGuideFactorySettings } from './plugin';
