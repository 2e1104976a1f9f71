export { continuationPerplexity, type PerplexityResult } from './perplexity';
export { outputPerplexity, plugin, policyPerplexity } from './plugin';
