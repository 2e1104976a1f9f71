export { cutTldrPrompt, type TldrPromptCut } from './cut-tldr-prompt';
export { judgeSchema, judgeUrl, resolveJudgeOptions, type JudgeOptions } from './judge/judge-options';
export { judgePrompt, parseJudgment } from './judge/judge-prompt';
export { createWinRateMetricFactory, winRateMetricFactory, type WinRateMetricSettings } from './judge/win-rate-metric';
export { plugin } from './plugin';
export { defaultRewardModel, defaultSplits, splitsOf, tldrTaskOptions, type TldrTaskOptions } from './tldr-options';
export { headerFields, splitTldrPrompt, wordStarts, type TldrPromptParts } from './tldr-prompt';
export { createTldrTask, referenceOf, tldrDatasetRepo, tldrTaskFactory } from './tldr-task';
