import type { Entity } from '@backstage/catalog-model';

/**
 * Catalog annotations read by the runner plugins.
 *
 * The runner reads the component's source from the standard
 * `backstage.io/source-location` annotation; the annotations below describe
 * how to build and run it. App-config (`runner.components.<ref>`) wins over
 * annotations, so a platform team can always override what a repository says.
 *
 * @public
 */
export const RUNNER_ANNOTATIONS = {
  /** Path of the Dockerfile, relative to the build context. Default `Dockerfile`. */
  dockerfile: 'runner.backstage.io/dockerfile',
  /** Build context, relative to the source root. Default `.`. */
  buildContext: 'runner.backstage.io/build-context',
  /** Build arguments as comma-separated `KEY=value` pairs. */
  buildArgs: 'runner.backstage.io/build-args',
  /** Multi-stage build target. */
  buildTarget: 'runner.backstage.io/build-target',
  /** Container ports to publish on 127.0.0.1, comma-separated, e.g. `8080` or `8080/tcp`. */
  ports: 'runner.backstage.io/ports',
  /** HTTP path probed for health when the image defines no HEALTHCHECK, e.g. `/healthz`. */
  healthPath: 'runner.backstage.io/health-path',
  /** Plain (non-secret) environment variables as comma-separated `KEY=value` pairs. */
  env: 'runner.backstage.io/env',
} as const;

/**
 * Catalog annotations that bind an entity to Envoy Gateway resources.
 *
 * @public
 */
export const GATEWAY_ANNOTATIONS = {
  /** Name of the configured Kubernetes cluster (`runner.kubernetes.clusters[].name`). */
  cluster: 'runner.backstage.io/kubernetes-cluster',
  /** Namespace in which the entity's gateway resources live. */
  namespace: 'runner.backstage.io/gateway-namespace',
  /** Parent Gateway of the entity's routes, as `namespace/name` or `name`. */
  parentGateway: 'runner.backstage.io/gateway-parent',
} as const;

/** The standard Backstage annotation naming where a component's source lives. */
export const SOURCE_LOCATION_ANNOTATION = 'backstage.io/source-location';

function hasAnyAnnotation(entity: Entity, names: readonly string[]): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return names.some(name => Boolean(annotations[name]));
}

/**
 * Whether the Runner tab applies: a Component whose source the runner can
 * build, i.e. one that names a Dockerfile or ports to run.
 *
 * @public
 */
export function isRunnerAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    hasAnyAnnotation(entity, Object.values(RUNNER_ANNOTATIONS))
  );
}

/**
 * Whether the Gateway tab applies: the entity names a gateway namespace.
 *
 * @public
 */
export function isGatewayAvailable(entity: Entity): boolean {
  return hasAnyAnnotation(entity, [GATEWAY_ANNOTATIONS.namespace]);
}

/**
 * Whether the Alerts tab applies: anything the runner runs or manages can alert.
 *
 * @public
 */
export function isAlertsAvailable(entity: Entity): boolean {
  return isRunnerAvailable(entity) || isGatewayAvailable(entity);
}
