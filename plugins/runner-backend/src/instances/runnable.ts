import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { SOURCE_LOCATION_ANNOTATION } from '@internal/plugin-runner-common';
import type { EffectiveComponentConfig } from '../config/types';
import type { ComponentSources } from '../sources/types';
import type { EffectiveConfigResolver } from './ports';

/**
 * The effective config of an entity that can run; an InputError, before any
 * instance row exists, for one that cannot: not a Component, annotations
 * that do not parse, or a source the runner could never read (see
 * ComponentSources.check). A start that can only fail must not take a slot
 * or leave a failure in the error history: it is the caller's bad request.
 */
export async function runnableConfig(
  entity: Entity,
  resolveConfig: EffectiveConfigResolver,
  sources: Pick<ComponentSources, 'check'>,
): Promise<EffectiveComponentConfig> {
  if (entity.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `${stringifyEntityRef(entity)} is a ${
        entity.kind
      }; only Components run. Start one of its components, or describe what should run as kind: Component with a ${SOURCE_LOCATION_ANNOTATION} annotation`,
    );
  }
  // Bad annotations throw here, naming the annotation.
  const config = resolveConfig(entity);
  await sources.check(entity, {
    context: config.build.context,
    dockerfile: config.build.dockerfile,
  });
  return config;
}
