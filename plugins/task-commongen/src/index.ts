export { commonGenDatasetRepo, commonGenPrompt, commonGenTaskFactory, createCommonGenTask } from './commongen-task';
export { commonGenTaskOptions, type CommonGenTaskOptions } from './commongen-options';
export { groupConceptSets, type ConceptSet } from './concept-sets';
export { plugin } from './plugin';
