/*
 * yarn bench:gateway — the gateway part's read and validation costs:
 *
 *  1. listing one entity's routes among 2,000 owned HTTPRoutes and
 *     AIGatewayRoutes (200 entities in 10 namespaces, 10 routes each) from
 *     the watch cache (GatewayLiveState / ObjectCache, the way
 *     GatewayService.list reads it through loadLiveObjects) vs a direct
 *     label-selector list through the real client (ClusterApi, client-node,
 *     HTTP), alternated over the 200 entities; median and p99;
 *  2. GatewayValidator.validateBundle (business rules, CRD OpenAPI schema,
 *     CEL) for every provider template bundle and an HTTPRoute, with the
 *     CRDs of ../shared/crds: the one-time registry load and compile, then
 *     the median of N runs.
 *
 * The "API server" is KubernetesTestServer, the in-process stand-in the
 * tests use (a node HTTP server on 127.0.0.1 speaking the Kubernetes wire
 * protocol): no real API server can run on the machines this project is
 * developed on. Its lists are a scan of an in-memory map; a real API server
 * (etcd, its own watch cache, authn/authz, admission, a network hop) is
 * slower, so the direct side here is a lower bound.
 *
 * Environment: BENCH_LIST_ITERATIONS (400), BENCH_VALIDATION_RUNS (200).
 */
import os from 'node:os';
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import { migrateToLatest } from '../src/database/migrations';
import type { KubernetesObject } from '../src/gateway/bundle';
import { MANAGED_KINDS } from '../src/gateway/managedKinds';
import { entityLabelSelector } from '../src/gateway/ownership';
import { GatewayRevisionStore } from '../src/gateway/revisions/GatewayRevisionStore';
import { CrdSchemas } from '../src/gateway/service/CrdSchemas';
import { GatewayService } from '../src/gateway/service/GatewayService';
import {
  createGatewayServices,
  type GatewayServices,
} from '../src/gateway/service/createGatewayServices';
import { loadLiveObjects } from '../src/gateway/service/liveBundles';
import {
  resolveTarget,
  type GatewayTarget,
} from '../src/gateway/service/target';
import { buildTemplate, HTTP_ROUTE_TEMPLATE } from '../src/gateway/templates';
import { CrdRegistry } from '../src/gateway/validation/CrdRegistry';
import { GatewayValidator } from '../src/gateway/validation/validateBundle';
import { sharedCrdsDir } from '../src/gateway/__testUtils__/shared';
import {
  ALL_PROVIDER_INPUTS,
  httpRouteInput,
} from '../src/gateway/__testUtils__/templateInputs';
import type { KubeObject } from '../src/kubernetes/ClusterApi';
import { KubernetesTestServer } from '../src/kubernetes/testing/KubernetesTestServer';
import {
  alternate,
  benchEntities,
  boundedEnvInt,
  formatMs,
  inBatches,
  medianP99,
  ownedRoutes,
  type BenchEntity,
} from './gatewaySupport';
import { median, percentile, quietLogger } from './util';

const ENTITIES = 200;
const NAMESPACES = 10;
const HTTP_ROUTES_PER_ENTITY = 7;
const AI_ROUTES_PER_ENTITY = 3;
const RESOURCES = ENTITIES * (HTTP_ROUTES_PER_ENTITY + AI_ROUTES_PER_ENTITY);
const LIST_ITERATIONS = boundedEnvInt('BENCH_LIST_ITERATIONS', 400, 10_000);
const LIST_WARMUP = 40;
const VALIDATION_RUNS = boundedEnvInt('BENCH_VALIDATION_RUNS', 200, 10_000);
const VALIDATION_WARMUP = 10;
const SYNC_TIMEOUT_MS = 60_000;
const CLUSTER = 'bench';

const gc = () => (global.gc ? global.gc() : undefined);

function signature(objects: KubernetesObject[]): string {
  return objects
    .map(
      o =>
        `${o.kind}/${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`,
    )
    .sort()
    .join('\n');
}

type ListTarget = BenchEntity & { target: GatewayTarget };

interface ListRow {
  label: string;
  cache: number[];
  direct: number[];
  directLabel: string;
}

async function listBenchmark(lines: string[]) {
  const crds = (await CrdRegistry.fromDirectories([sharedCrdsDir()]))
    .customResourceDefinitions()
    .map(c => c.crd);
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `team-${i}`);
  let kube: KubernetesTestServer | undefined;
  let services: GatewayServices | undefined;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  try {
    kube = await KubernetesTestServer.start({ crds, namespaces });
    await migrateToLatest(knex);
    services = createGatewayServices({
      config: new ConfigReader({
        runner: { gateway: { crdDirectories: [sharedCrdsDir()] } },
      }),
      kubernetes: {
        clusters: [
          kube.clusterConfig(CLUSTER, { connectionTimeoutMs: 10_000 }),
        ],
        defaultCluster: CLUSTER,
      },
      knex,
      logger: quietLogger,
    });
    const { clusters, liveState } = services;
    const cluster = clusters.find(CLUSTER)!;
    const api = cluster.api();

    // Populate through the real client: every object is validated and stored
    // by the stand-in as an API server would.
    const entities = benchEntities(ENTITIES, NAMESPACES);
    const objects = entities.flatMap(e =>
      ownedRoutes(e, HTTP_ROUTES_PER_ENTITY, AI_ROUTES_PER_ENTITY),
    );
    if (objects.length !== RESOURCES) {
      throw new Error(`expected ${RESOURCES} objects, built ${objects.length}`);
    }
    const tPopulate = performance.now();
    await inBatches(objects, 16, o => api.create(o as KubeObject));
    const populateMs = performance.now() - tPopulate;

    // Start the watches (list + watch per managed kind) and wait for the sync.
    const tSync = performance.now();
    services.start();
    if (!(await liveState.waitForSync(CLUSTER, SYNC_TIMEOUT_MS))) {
      throw new Error(`the live state did not sync in ${SYNC_TIMEOUT_MS} ms`);
    }
    const syncMs = performance.now() - tSync;

    // Both paths must return the same objects before either is timed.
    const targets = entities.map(e => ({
      ...e,
      target: resolveTarget(e.entity, clusters),
    }));
    let cachedTotal = 0;
    for (const t of targets) {
      const cached = await loadLiveObjects(t.target, cluster, { liveState });
      const direct = await loadLiveObjects(t.target, cluster, { fresh: true });
      if (signature(cached) !== signature(direct)) {
        throw new Error(`cache and API server disagree on ${t.entityRef}`);
      }
      cachedTotal += cached.length;
    }
    if (cachedTotal !== RESOURCES) {
      throw new Error(`the cache holds ${cachedTotal} of ${RESOURCES} routes`);
    }

    // A service without the live state: what GatewayService.list does with no (synced) cache.
    const uncached = new GatewayService({
      clusters,
      revisions: new GatewayRevisionStore(knex),
      schemas: new CrdSchemas({
        directories: [sharedCrdsDir()],
        logger: quietLogger,
      }),
      logger: quietLogger,
    });
    const pick = (i: number) => targets[(i * 7) % targets.length];
    const rows: ListRow[] = [];
    const measure = async (
      label: string,
      directLabel: string,
      cache: (t: ListTarget) => Promise<unknown>,
      direct: (t: ListTarget) => Promise<unknown>,
    ) => {
      gc();
      const times = await alternate(
        LIST_ITERATIONS,
        LIST_WARMUP,
        i => cache(pick(i)),
        i => direct(pick(i)),
      );
      rows.push({ label, directLabel, cache: times.a, direct: times.b });
    };

    await measure(
      "an entity's objects, as GatewayService.list loads them (`loadLiveObjects`)",
      `${MANAGED_KINDS.length} label-selector lists (one per managed kind, concurrent)`,
      t => loadLiveObjects(t.target, cluster, { liveState }),
      t => loadLiveObjects(t.target, cluster, { fresh: true }),
    );
    await measure(
      'same cache read vs the narrowest direct list',
      'one HTTPRoute label-selector list',
      t => loadLiveObjects(t.target, cluster, { liveState }),
      t =>
        api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', {
          namespace: t.namespace,
          labelSelector: entityLabelSelector(t.entityRef),
        }),
    );
    await measure(
      "`GatewayService.list(entity, 'route')` end to end (bundle views, status)",
      'the same service without a live state (lists + a GET per AIGatewayRoute)',
      t => services!.gateway.list(t.entity, 'route'),
      t => uncached.list(t.entity, 'route'),
    );

    lines.push(
      `### 1. An entity's routes among ${RESOURCES} (${ENTITIES} entities × ${HTTP_ROUTES_PER_ENTITY} HTTPRoutes + ${AI_ROUTES_PER_ENTITY} AIGatewayRoutes, ${NAMESPACES} namespaces)`,
      '',
      `Populate through client-node: ${(populateMs / 1000).toFixed(
        1,
      )} s; start → cache synced (${
        MANAGED_KINDS.length
      } lists + watches): ${formatMs(
        syncMs,
      )}. ${LIST_ITERATIONS} alternated iterations per row (after ${LIST_WARMUP} unrecorded), entity changing every iteration.`,
      '',
      '| measurement | watch cache, median (p99) | direct list through client-node, median (p99) | ratio of medians | target |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r, index) =>
          `| ${r.label} | ${medianP99(r.cache)} | ${r.directLabel}: ${medianP99(
            r.direct,
          )} | ${(median(r.cache) / median(r.direct)).toFixed(4)} | ${
            index === 0 ? '≤ 0.1' : '—'
          } |`,
      ),
      '',
    );
  } finally {
    await services?.close();
    await kube?.stop();
    await knex.destroy();
  }
}

function counts(findings: GatewayFinding[]) {
  return {
    errors: findings.filter(f => f.severity === 'error'),
    warnings: findings.filter(f => f.severity !== 'error').length,
  };
}

async function validationBenchmark(lines: string[]) {
  gc();
  const tLoad = performance.now();
  const registry = await CrdRegistry.fromDirectories([sharedCrdsDir()]);
  const loadMs = performance.now() - tLoad;

  const bundles = [
    ...ALL_PROVIDER_INPUTS.map(([label, input]) => ({
      label,
      name: input.name,
      result: buildTemplate(input.provider, input),
    })),
    {
      label: 'HTTPRoute',
      name: httpRouteInput.name,
      result: buildTemplate(HTTP_ROUTE_TEMPLATE, httpRouteInput),
    },
  ].map(b => {
    if (!b.result.ok) throw new Error(`template ${b.label} failed`);
    return {
      label: b.label,
      objects: b.result.bundle.objects,
      options: { entityRef: b.result.bundle.entityRef, bundle: b.name },
    };
  });

  // One-time: a fresh validator compiles schemas (ajv) and CEL rules as it meets each kind.
  const validator = new GatewayValidator(registry);
  const tAll = performance.now();
  for (const b of bundles) validator.validateBundle(b.objects, b.options);
  const firstAllMs = performance.now() - tAll;
  // Cold, per bundle: each in its own fresh validator.
  const cold = bundles.map(b => {
    const fresh = new GatewayValidator(registry);
    const t0 = performance.now();
    const findings = fresh.validateBundle(b.objects, b.options);
    return { ms: performance.now() - t0, findings };
  });

  // Warm: the compiled validator, bundles interleaved.
  const warm = bundles.map(() => [] as number[]);
  for (let run = 0; run < VALIDATION_WARMUP + VALIDATION_RUNS; run++) {
    bundles.forEach((b, index) => {
      const t0 = performance.now();
      validator.validateBundle(b.objects, b.options);
      const ms = performance.now() - t0;
      if (run >= VALIDATION_WARMUP) warm[index].push(ms);
    });
  }

  lines.push(
    `### 2. GatewayValidator.validateBundle (rules + CRD schema + CEL), CRDs of ../shared/crds`,
    '',
    `Registry load (${
      registry.customResourceDefinitions().length
    } CRDs, YAML parse): ${formatMs(loadMs)}; first validation of all ${
      bundles.length
    } bundles in a fresh validator (compiles every schema and CEL rule met): ${formatMs(
      firstAllMs,
    )}. Warm: median (p99) of ${VALIDATION_RUNS} runs per bundle, bundles interleaved.`,
    '',
    '| bundle | objects | first run, fresh validator | warm median (p99) | findings |',
    '|---|---|---|---|---|',
    ...bundles.map((b, index) => {
      const { errors, warnings } = counts(cold[index].findings);
      if (errors.length > 0) {
        throw new Error(
          `${b.label}: template output has errors: ${JSON.stringify(errors)}`,
        );
      }
      return `| ${b.label} | ${b.objects.length} | ${formatMs(
        cold[index].ms,
      )} | ${formatMs(median(warm[index]))} (${formatMs(
        percentile(warm[index], 99),
      )}) | 0 errors, ${warnings} warnings |`;
    }),
    '',
  );
}

async function main() {
  const lines = [
    `${os.cpus().length} CPUs (${
      os.cpus()[0]?.model ?? 'unknown'
    }), ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}`,
    'API server: KubernetesTestServer, the in-process stand-in (no real API server runs here)',
    '',
  ];
  await listBenchmark(lines);
  await validationBenchmark(lines);
  console.log(lines.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
