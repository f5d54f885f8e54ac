export { YamlPreview } from './YamlPreview';
