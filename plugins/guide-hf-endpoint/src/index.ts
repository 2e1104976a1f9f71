export { hfEndpointGuideOptions, resolveGuideOptions, type GuideOptions, type OnUnavailable } from './guide-options';
export { HfEndpointGuide, type HfEndpointGuideSettings } from './hf-endpoint-guide';
export { createHfEndpointGuideFactory, hfEndpointGuideFactory, plugin, type HfEndpointGuideFactorySettings } from './plugin';
