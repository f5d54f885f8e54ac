export * from './types';
export * from './RuntimeError';
