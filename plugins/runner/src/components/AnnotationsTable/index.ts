export { AnnotationsTable } from './AnnotationsTable';
export type { AnnotationRow } from './AnnotationsTable';
