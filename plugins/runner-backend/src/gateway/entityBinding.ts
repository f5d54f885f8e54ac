import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GATEWAY_ANNOTATIONS } from '@internal/plugin-runner-common';

/*
 * Where an entity's gateway objects live, from its annotations:
 * `runner.backstage.io/gateway-namespace` (required),
 * `runner.backstage.io/gateway-parent` (`namespace/name` or `name`: the
 * default parent Gateway of its routes) and
 * `runner.backstage.io/kubernetes-cluster` (default: the default cluster).
 */

export interface GatewayBinding {
  entityRef: string;
  namespace: string;
  /** Undefined: the default cluster. */
  cluster?: string;
  parentGateway?: { name: string; namespace?: string };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function bindingOf(entity: Entity): GatewayBinding {
  const entityRef = stringifyEntityRef(entity);
  const annotations = entity.metadata.annotations ?? {};
  const namespace = annotations[GATEWAY_ANNOTATIONS.namespace]?.trim();
  if (!namespace) {
    throw new InputError(
      `${entityRef} has no ${GATEWAY_ANNOTATIONS.namespace} annotation: it names the Kubernetes namespace of the entity's gateway resources`,
    );
  }
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new InputError(
      `${entityRef} has an invalid ${GATEWAY_ANNOTATIONS.namespace} annotation '${namespace}': it must be a lowercase RFC 1123 label`,
    );
  }
  const parent = annotations[GATEWAY_ANNOTATIONS.parentGateway]?.trim();
  let parentGateway: GatewayBinding['parentGateway'];
  if (parent) {
    const [first, second] = parent.split('/');
    const gateway =
      second === undefined
        ? { name: first }
        : { namespace: first, name: second };
    if (
      parent.split('/').length > 2 ||
      !DNS_SUBDOMAIN.test(gateway.name) ||
      (gateway.namespace !== undefined && !DNS_LABEL.test(gateway.namespace))
    ) {
      throw new InputError(
        `${entityRef} has an invalid ${GATEWAY_ANNOTATIONS.parentGateway} annotation '${parent}': use name or namespace/name`,
      );
    }
    parentGateway = gateway;
  }
  const cluster = annotations[GATEWAY_ANNOTATIONS.cluster]?.trim() || undefined;
  return { entityRef, namespace, cluster, parentGateway };
}
