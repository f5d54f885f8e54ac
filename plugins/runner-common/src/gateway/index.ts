export * from './findings';
export * from './ownership';
export * from './providers';
export * from './httpRoute';
export * from './bundle';
export * from './status';
export * from './api';
