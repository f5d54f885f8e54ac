import type { Entity } from '@backstage/catalog-model';
import type { CategorizedError } from '@internal/plugin-runner-common';
import type { EffectiveComponentConfig } from '../config/types';

export type { DockerRuntime } from '../docker/types';

/*
 * What the instances domain needs from its neighbours, as small interfaces:
 * docker/ (DockerRuntime, defined there), config/ (effective config),
 * errors/ (the classifier).
 * Tests and the plugin wiring pass the real implementations.
 */

/** A failure turned into something a user can act on (see errors/). */
export type InstanceFailure = CategorizedError;

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
