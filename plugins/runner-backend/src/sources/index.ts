export { RunnerComponentSources } from './RunnerComponentSources';
export type { RunnerComponentSourcesOptions } from './RunnerComponentSources';
export { computeCacheKey } from './cacheKey';
export { packContext } from './pack';
export type { CacheKeyInput, ComponentSources, SourceTree } from './types';
