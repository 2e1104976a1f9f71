export { LocalGuide, sameTokenizer } from './local-guide';
export { parseLocalGuideOptions, type LocalGuideOptions } from './local-guide-options';
export { localGuideFactory, plugin } from './plugin';
