export { ciderD, type CiderDOptions } from './cider-d';
export { cocoBleu, type CocoBleuResult } from './coco-bleu';
export { cocoRougeL } from './coco-rouge-l';
export { parseSpiceOutput, requireSpiceJar, runSpice, writeSpiceInput, type SpiceInputEntry, type SpiceSettings } from './spice';
export { plugin } from './plugin';
