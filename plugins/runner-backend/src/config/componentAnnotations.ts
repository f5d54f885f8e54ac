import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { RUNNER_ANNOTATIONS } from '@internal/plugin-runner-common';
import {
  type Fail,
  type PortSpec,
  parseBuildTarget,
  parseHealthPath,
  parsePorts,
  parseRelativePath,
} from './buildRunValues';
import { parseKeyValueList } from './keyValues';

/** What an entity's `runner.backstage.io/*` annotations set; absent = not set. */
export interface AnnotationSettings {
  build: {
    dockerfile?: string;
    context?: string;
    target?: string;
    buildArgs: Record<string, string>;
  };
  run: {
    ports?: PortSpec[];
    healthPath?: string;
    env: Record<string, string>;
  };
}

/**
 * Parses the runner annotations of one entity. Annotations are written by
 * component owners, so a bad value is the caller's input error (HTTP 400)
 * naming the annotation and the accepted form, not a server failure.
 * Empty values count as absent.
 */
export function readComponentAnnotations(entity: Entity): AnnotationSettings {
  const annotations = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const fail =
    (name: string): Fail =>
    problem =>
      new InputError(`Invalid annotation '${name}' on ${ref}: ${problem}`);
  const get = (name: string): string | undefined => {
    const value = annotations[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  const settings: AnnotationSettings = {
    build: { buildArgs: {} },
    run: { env: {} },
  };
  const A = RUNNER_ANNOTATIONS;

  const dockerfile = get(A.dockerfile);
  if (dockerfile !== undefined) {
    settings.build.dockerfile = parseRelativePath(
      dockerfile,
      fail(A.dockerfile),
      'Dockerfile',
    );
  }
  const context = get(A.buildContext);
  if (context !== undefined) {
    settings.build.context = parseRelativePath(
      context,
      fail(A.buildContext),
      '.',
    );
  }
  const buildArgs = get(A.buildArgs);
  if (buildArgs !== undefined) {
    settings.build.buildArgs = parseKeyValueList(buildArgs, fail(A.buildArgs));
  }
  const target = get(A.buildTarget);
  if (target !== undefined) {
    settings.build.target = parseBuildTarget(target, fail(A.buildTarget));
  }
  const ports = get(A.ports);
  if (ports !== undefined) {
    settings.run.ports = parsePorts(
      ports.split(',').filter(p => p.trim() !== ''),
      fail(A.ports),
    );
  }
  const healthPath = get(A.healthPath);
  if (healthPath !== undefined) {
    settings.run.healthPath = parseHealthPath(healthPath, fail(A.healthPath));
  }
  const env = get(A.env);
  if (env !== undefined) {
    settings.run.env = parseKeyValueList(env, fail(A.env));
  }
  return settings;
}
