export * from './validate';
export { mergeConfig, isConfigMap, type ConfigMap } from './merge';
export { OTELCOL_CONTRIB_COMPONENTS, OTELCOL_CONTRIB_VERSION } from './otelcolContribComponents';
export { ATTRIBUTE_ACTIONS } from './components';
export { didYouMean, closest } from './didYouMean';
