import type { Readable } from 'node:stream';
import type { Entity } from '@backstage/catalog-model';
import type {
  BuildRequest,
  BuildResult,
  ContainerEvent,
  ContainerState,
  LogOptions,
  RunRequest,
} from '../docker/types';
import type { EffectiveComponentConfig } from '../config/types';

/*
 * What the instances domain needs from its neighbours, as small interfaces:
 * docker/ (the engine), config/ (effective config), errors/ (the classifier).
 * Tests and the plugin wiring pass the real implementations.
 */

export interface DockerRuntime {
  build(request: BuildRequest): Promise<BuildResult>;
  /** Image id of an image carrying this cache key, if any. */
  findImage(cacheKey: string): Promise<string | undefined>;
  removeImage(ref: string): Promise<void>;
  run(request: RunRequest): Promise<ContainerState>;
  inspect(containerId: string): Promise<ContainerState | undefined>;
  stop(containerId: string, timeoutSeconds: number): Promise<void>;
  remove(containerId: string): Promise<void>;
  listManaged(): Promise<ContainerState[]>;
  logs(containerId: string, options: LogOptions): Readable;
  statsOnce(containerId: string): Promise<unknown>;
  watchEvents(
    onEvent: (event: ContainerEvent) => void,
    onResync: () => void,
  ): { close(): void };
}

/** A failure turned into something a user can act on (see errors/). */
export interface InstanceFailure {
  category: string;
  code: string;
  severity: string;
  recoverable: boolean;
  userMessage: string;
  remediation: string;
  detail?: string;
  [key: string]: unknown;
}

export interface FailureContext {
  operation: 'source' | 'build' | 'run' | 'stop';
  entityRef: string;
  /** Values that must never appear in the failure's detail (secret env values). */
  secrets: string[];
}

export type FailureClassifier = (
  error: unknown,
  context: FailureContext,
) => InstanceFailure;

export type EffectiveConfigResolver = (
  entity: Entity,
) => EffectiveComponentConfig;
