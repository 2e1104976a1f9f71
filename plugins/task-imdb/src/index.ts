export { cleanReview, type LineBreakMode } from './clean-review';
export { cutPrompt, type PromptCut } from './cut-prompt';
export { createImdbTask, imdbDatasetRepo, imdbTaskFactory } from './imdb-task';
export { imdbTaskOptions, type ImdbTaskOptions } from './imdb-options';
export { plugin } from './plugin';
export { splitRows, trainFraction, type SplitPlanSettings, type SplitRows } from './split-plan';
