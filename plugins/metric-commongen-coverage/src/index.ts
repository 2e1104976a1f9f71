export { conceptCoverage, lemmaSet } from './coverage';
export { plugin } from './plugin';
