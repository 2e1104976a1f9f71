export { corpusBleu, sentenceBleu, type BleuOptions } from './sacre-bleu';
export { plugin } from './plugin';
