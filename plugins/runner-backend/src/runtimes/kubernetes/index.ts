export {
  KubernetesRuntime,
  type KubernetesRuntimeOptions,
} from './KubernetesRuntime';
export type { KubernetesClusterTarget } from './ClusterTargets';
export type { RegistryConfig } from './registry/RegistryClient';
export {
  DockerEnginePusher,
  type ImagePusher,
} from './registry/DockerEnginePusher';
