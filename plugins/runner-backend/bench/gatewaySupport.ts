/*
 * Helpers of yarn bench:gateway: the 2,000 owned routes it lists, bounded
 * numbers from the environment, alternated timing and formatting.
 */
import type { Entity } from '@backstage/catalog-model';
import { GATEWAY_ANNOTATIONS } from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../src/gateway/bundle';
import { buildTemplate, HTTP_ROUTE_TEMPLATE } from '../src/gateway/templates';
import {
  httpRouteInput,
  openAIInput,
} from '../src/gateway/__testUtils__/templateInputs';
import { median } from './util';

/** A whole number from the environment, from 1 to `max` (loops stay bounded). */
export function boundedEnvInt(
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}=${raw}: must be a whole number from 1 to ${max}`);
  }
  return value;
}

export interface BenchEntity {
  entity: Entity;
  entityRef: string;
  namespace: string;
}

/** `component:default/service-NNN`, all bound to `namespace`. */
export function benchEntities(count: number, namespace: string): BenchEntity[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `service-${String(i).padStart(3, '0')}`;
    return {
      entityRef: `component:default/${name}`,
      namespace,
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          namespace: 'default',
          annotations: {
            [GATEWAY_ANNOTATIONS.namespace]: namespace,
            [GATEWAY_ANNOTATIONS.parentGateway]:
              'envoy-gateway-system/ai-gateway',
          },
        },
        spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
      },
    };
  });
}

function built(id: string, input: unknown): KubernetesObject[] {
  const result = buildTemplate(id as any, input);
  if (!result.ok) {
    throw new Error(
      `template ${id} refused the bench input: ${JSON.stringify(
        result.findings,
      )}`,
    );
  }
  return result.bundle.objects;
}

/**
 * An entity's owned routes, made by the plugin's own templates (so labels,
 * annotations and specs are what the plugin writes): `httpRoutes` HTTPRoute
 * bundles and `aiRoutes` AIGatewayRoutes (the route object of an OpenAI
 * provider bundle; the bundle's other objects are left out so the cluster
 * holds exactly the routes counted).
 */
export function ownedRoutes(
  target: BenchEntity,
  httpRoutes: number,
  aiRoutes: number,
): KubernetesObject[] {
  const { entityRef, namespace } = target;
  const base = target.entity.metadata.name;
  const objects: KubernetesObject[] = [];
  for (let k = 0; k < httpRoutes; k++) {
    objects.push(
      ...built(HTTP_ROUTE_TEMPLATE, {
        ...httpRouteInput,
        name: `${base}-route-${k}`,
        namespace,
        entityRef,
        hostnames: [`r${k}.${base}.example.com`],
      }),
    );
  }
  for (let k = 0; k < aiRoutes; k++) {
    objects.push(
      ...built('openai', {
        ...openAIInput,
        name: `${base}-ai-${k}`,
        namespace,
        entityRef,
        hostnames: [`ai${k}.${base}.example.com`],
      }).filter(o => o.kind === 'AIGatewayRoute'),
    );
  }
  return objects;
}

/** Runs `work` over `items`, at most `concurrency` at a time. */
export async function inBatches<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += concurrency) {
    await Promise.all(items.slice(i, i + concurrency).map(work));
  }
}

/**
 * Times `a` and `b` alternately (`a` first on even iterations, `b` first on
 * odd ones), after `warmup` unrecorded rounds; `i` picks the input.
 */
export async function alternate(
  iterations: number,
  warmup: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  const timed = async (
    work: (i: number) => Promise<unknown>,
    i: number,
    into: number[] | undefined,
  ) => {
    const t0 = performance.now();
    await work(i);
    into?.push(performance.now() - t0);
  };
  for (let i = 0; i < warmup + iterations; i++) {
    const recorded = i >= warmup;
    if (i % 2 === 0) {
      await timed(a, i, recorded ? times.a : undefined);
      await timed(b, i, recorded ? times.b : undefined);
    } else {
      await timed(b, i, recorded ? times.b : undefined);
      await timed(a, i, recorded ? times.a : undefined);
    }
  }
  return times;
}

/** `12 µs` below a millisecond, `3.42 ms` above. */
export function formatMs(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

/** `min / median / max` of a list of milliseconds. */
export function minMedianMax(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return [sorted[0], median(sorted), sorted[sorted.length - 1]]
    .map(formatMs)
    .join(' / ');
}

/** `met` or `**missed**`, for a goal line. */
export function goal(met: boolean): string {
  return met ? 'met' : '**missed**';
}
