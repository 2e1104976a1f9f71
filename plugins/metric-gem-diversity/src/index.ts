export { diversityStats, gemTokenize } from './diversity';
export { plugin } from './plugin';
