export { rougeScore, rougeScoreMulti, rougeTokenize, rougeTypes, type RougeOptions, type RougeScores } from './rouge-score';
export { plugin } from './plugin';
