import { z } from 'zod';
import type { HttpRouteInput } from '@internal/plugin-runner-common';
import type { GatewayBundle, KubernetesObject } from '../bundle';
import { normalizeEntityRef } from '../ownership';
import {
  bundleNameSchema,
  entityRefSchema,
  hostnameSchema,
  namespaceSchema,
  parentGatewaySchema,
  timeoutsSchema,
} from './inputSchemas';
import { API, metadata } from './objects';

/*
 * The HTTPRoute template: exposes an entity's Kubernetes Service(s) through a
 * Gateway, with host and path matches, weighted backends and timeouts.
 */

export const HTTP_ROUTE_TEMPLATE = 'httproute';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

const matchSchema = z.object({
  path: z
    .object({
      type: z.enum(['PathPrefix', 'Exact', 'RegularExpression']).optional(),
      value: z.string().min(1).max(1024),
    })
    .optional(),
  method: z
    .enum([
      'GET',
      'HEAD',
      'POST',
      'PUT',
      'DELETE',
      'CONNECT',
      'OPTIONS',
      'TRACE',
      'PATCH',
    ])
    .optional(),
  headers: z
    .array(
      z.object({
        name: z
          .string()
          .min(1)
          .max(256)
          .regex(HEADER_NAME, 'must be an HTTP header name'),
        value: z.string().min(1).max(4096),
        type: z.enum(['Exact', 'RegularExpression']).optional(),
      }),
    )
    .max(16)
    .optional(),
});

export const httpRouteInputSchema = z.object({
  name: bundleNameSchema,
  namespace: namespaceSchema,
  entityRef: entityRefSchema,
  parentGateway: parentGatewaySchema,
  hostnames: z
    .array(hostnameSchema('route'))
    .max(16)
    .optional()
    .describe('Host names; a leading *. wildcard is allowed'),
  rules: z
    .array(
      z.object({
        name: z
          .string()
          .min(1)
          .max(63)
          .regex(DNS_LABEL, 'must be a lowercase RFC 1123 label')
          .optional(),
        matches: z
          .array(matchSchema)
          .min(1)
          .max(64)
          .optional()
          .describe('Default: every request (PathPrefix /)'),
        backends: z
          .array(
            z.object({
              serviceName: z
                .string()
                .min(1)
                .max(63)
                .regex(DNS_LABEL, 'must be a Service name'),
              port: z.number().int().min(1).max(65535),
              namespace: namespaceSchema.optional(),
              weight: z.number().int().min(0).max(1_000_000).optional(),
            }),
          )
          .min(1)
          .max(16),
        timeouts: timeoutsSchema.optional(),
      }),
    )
    .min(1)
    .max(16),
}) satisfies z.ZodType<unknown, HttpRouteInput>;

export function buildHttpRoute(input: HttpRouteInput): GatewayBundle {
  const entityRef = normalizeEntityRef(input.entityRef);
  const owner = {
    entityRef,
    namespace: input.namespace,
    template: HTTP_ROUTE_TEMPLATE,
    bundle: input.name,
  };
  const parent = input.parentGateway;
  const route: KubernetesObject = {
    apiVersion: API.gatewayApi,
    kind: 'HTTPRoute',
    metadata: metadata(input.name, owner),
    spec: {
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: parent.name,
          ...(parent.namespace ? { namespace: parent.namespace } : {}),
          ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
        },
      ],
      ...(input.hostnames?.length ? { hostnames: input.hostnames } : {}),
      rules: input.rules.map(rule => ({
        ...(rule.name ? { name: rule.name } : {}),
        matches: (rule.matches ?? [{ path: { value: '/' } }]).map(match => ({
          ...(match.path
            ? {
                path: {
                  type: match.path.type ?? 'PathPrefix',
                  value: match.path.value,
                },
              }
            : {}),
          ...(match.method ? { method: match.method } : {}),
          ...(match.headers?.length
            ? {
                headers: match.headers.map(h => ({
                  type: h.type ?? 'Exact',
                  name: h.name,
                  value: h.value,
                })),
              }
            : {}),
        })),
        backendRefs: rule.backends.map(b => ({
          group: '',
          kind: 'Service',
          name: b.serviceName,
          port: b.port,
          ...(b.namespace ? { namespace: b.namespace } : {}),
          weight: b.weight ?? 1,
        })),
        ...(rule.timeouts && Object.keys(rule.timeouts).length > 0
          ? { timeouts: { ...rule.timeouts } }
          : {}),
      })),
    },
  };
  return {
    template: HTTP_ROUTE_TEMPLATE,
    entityRef,
    namespace: input.namespace,
    objects: [route],
  };
}
