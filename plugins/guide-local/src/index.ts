export { LocalGuide, sameTokenizer } from './local-guide';
export { localGuideOptions, type LocalGuideOptions } from './local-guide-options';
export { localGuideFactory, plugin } from './plugin';
