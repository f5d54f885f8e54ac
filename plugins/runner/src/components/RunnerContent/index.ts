export { RunnerContent } from './RunnerContent';
