/*
 * yarn bench:gateway — the gateway part's costs against the real
 * kube-apiserver of the test cluster (scripts/cluster.sh start):
 *
 *  1. one entity's routes among 2,000 owned HTTPRoutes and AIGatewayRoutes
 *     (200 entities × 10 routes, in a namespace of their own) read from the
 *     plugin's watch cache vs label-selector lists on the API server,
 *     alternated (plugin first on even rounds, baseline first on odd ones);
 *  2. a status write through the status subresource → the plugin's change
 *     callback, vs a plain watch on the same collection (gatewayStatus.ts);
 *  3. validation time per bundle, in-process and end to end with the
 *     server's dry run (gatewayValidation.ts).
 *
 * The plugin runs as docs/kubernetes-rbac.md's service account. Every
 * figure is printed with its rounds and min / median / max; goals the run
 * misses are printed as missed. The namespace (and the 2,000 objects in it)
 * and the service account are removed at the end, on failure and on Ctrl-C.
 *
 * Environment: BENCH_LIST_ROUNDS (200), BENCH_STATUS_ROUNDS (40),
 * BENCH_VALIDATION_RUNS (200), BENCH_SERVER_VALIDATION_RUNS (10).
 */
import os from 'node:os';
import knexFactory from 'knex';
import { CoreV1Api } from '@kubernetes/client-node';
import { ConfigReader } from '@backstage/config';
import { migrateToLatest } from '../src/database/migrations';
import type { KubernetesObject } from '../src/gateway/bundle';
import { MANAGED_KINDS } from '../src/gateway/managedKinds';
import { entityLabelSelector } from '../src/gateway/ownership';
import { GatewayRevisionStore } from '../src/gateway/revisions/GatewayRevisionStore';
import { CrdSchemas } from '../src/gateway/service/CrdSchemas';
import { GatewayService } from '../src/gateway/service/GatewayService';
import { createGatewayServices } from '../src/gateway/service/createGatewayServices';
import { loadLiveObjects } from '../src/gateway/service/liveBundles';
import {
  resolveTarget,
  type GatewayTarget,
} from '../src/gateway/service/target';
import { gatewayTestCluster } from '../src/gateway/__testUtils__/gatewayRbac';
import type { KubeObject } from '../src/kubernetes/ClusterApi';
import {
  adminKubeConfig,
  testClusterEnv,
} from '../src/kubernetes/__testUtils__/testCluster';
import { Cleanup } from './benchSupport';
import {
  alternate,
  benchEntities,
  boundedEnvInt,
  formatMs,
  goal,
  inBatches,
  minMedianMax,
  ownedRoutes,
  type BenchEntity,
} from './gatewaySupport';
import { Arrivals, statusLatency, type ChangeArrivals } from './gatewayStatus';
import { validationBenchmark } from './gatewayValidation';
import { median, quietLogger } from './util';

const ENTITIES = 200;
const HTTP_ROUTES_PER_ENTITY = 7;
const AI_ROUTES_PER_ENTITY = 3;
const RESOURCES = ENTITIES * (HTTP_ROUTES_PER_ENTITY + AI_ROUTES_PER_ENTITY);
const LIST_ROUNDS = boundedEnvInt('BENCH_LIST_ROUNDS', 200, 10_000);
const LIST_WARMUP = 20;
const STATUS_ROUNDS = boundedEnvInt('BENCH_STATUS_ROUNDS', 40, ENTITIES);
const VALIDATION_RUNS = boundedEnvInt('BENCH_VALIDATION_RUNS', 200, 10_000);
const SERVER_VALIDATION_RUNS = boundedEnvInt(
  'BENCH_SERVER_VALIDATION_RUNS',
  10,
  1_000,
);
const SYNC_TIMEOUT_MS = 120_000;
const STATUS_TIMEOUT_MS = 10_000;
const LIST_RATIO_GOAL = 0.1;
const STATUS_GOAL_MS = 1000;
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

/** Waits until the namespace controller has deleted the namespace and everything in it. */
async function namespaceGone(
  name: string,
  timeoutMs: number,
): Promise<boolean> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await core.readNamespace({ name });
    } catch (error) {
      if ((error as { code?: number }).code === 404) return true;
      throw error;
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  return false;
}

async function main() {
  if (!testClusterEnv()) {
    throw new Error(
      'bench:gateway needs the test cluster: run scripts/cluster.sh start (or set RUNNER_TEST_KUBECONFIG)',
    );
  }
  const cleanup = new Cleanup();
  cleanup.onSignals();
  const lines = [
    `${os.cpus().length} CPUs (${
      os.cpus()[0]?.model ?? 'unknown'
    }), ${Math.round(os.totalmem() / 1024 ** 3)} GB, Node ${
      process.version
    }, ${os.platform()} ${os.release()}, load ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')} at the start`,
    '',
  ];
  try {
    const kube = await gatewayTestCluster('bench-gateway');
    cleanup.add(
      `namespace ${kube.namespace} and its service account`,
      async () => {
        const t0 = performance.now();
        await kube.remove();
        const gone = await namespaceGone(kube.namespace, 180_000);
        lines.push(
          gone
            ? `Clean-up: namespace ${
                kube.namespace
              }, its ${RESOURCES} routes and the service account deleted; the namespace was gone after ${(
                (performance.now() - t0) /
                1000
              ).toFixed(1)} s.`
            : `Clean-up: **namespace ${kube.namespace} still exists after 180 s**; delete it with scripts/cluster.sh kubectl delete namespace ${kube.namespace}.`,
        );
      },
    );
    const namespace = kube.namespace;
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    cleanup.add('database', () => knex.destroy());
    await migrateToLatest(knex);
    const changes: ChangeArrivals = new Arrivals();
    const services = createGatewayServices({
      config: new ConfigReader({}),
      kubernetes: {
        clusters: [kube.cluster(CLUSTER, { connectionTimeoutMs: 30_000 })],
        defaultCluster: CLUSTER,
      },
      knex,
      logger: quietLogger,
      onChange: (entityRef, summary) => changes.push({ entityRef, summary }),
    });
    cleanup.add('gateway services', () => services.close());
    const { clusters, liveState } = services;
    const cluster = clusters.find(CLUSTER)!;
    const api = cluster.api();
    const version = await api.version();
    lines.splice(
      1,
      0,
      `API server: the test cluster's kube-apiserver ${version} (${
        testClusterEnv()!.kubeconfigPath
      }), as a service account bound to docs/kubernetes-rbac.md's roles`,
    );

    // Populate through the plugin's client: the API server validates and stores each one.
    const entities = benchEntities(ENTITIES, namespace);
    const objects = entities.flatMap(e =>
      ownedRoutes(e, HTTP_ROUTES_PER_ENTITY, AI_ROUTES_PER_ENTITY),
    );
    if (objects.length !== RESOURCES) {
      throw new Error(`expected ${RESOURCES} objects, built ${objects.length}`);
    }
    const tPopulate = performance.now();
    await inBatches(objects, 16, o => api.create(o as KubeObject));
    const populateMs = performance.now() - tPopulate;

    const tSync = performance.now();
    services.start();
    if (!(await liveState.waitForSync(CLUSTER, SYNC_TIMEOUT_MS))) {
      throw new Error(`the live state did not sync in ${SYNC_TIMEOUT_MS} ms`);
    }
    const syncMs = performance.now() - tSync;

    // Both paths must return the same objects before either is timed.
    const targets: ListTarget[] = entities.map(e => ({
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

    // What GatewayService.list does with no (synced) cache.
    const uncached = new GatewayService({
      clusters,
      revisions: new GatewayRevisionStore(knex),
      schemas: new CrdSchemas({ directories: [], logger: quietLogger }),
      logger: quietLogger,
    });
    const pick = (i: number) => targets[(i * 7) % targets.length];
    const rows: string[] = [];
    const measure = async (
      label: string,
      baselineLabel: string,
      plugin: (t: ListTarget) => Promise<unknown>,
      baseline: (t: ListTarget) => Promise<unknown>,
      withGoal: boolean,
    ) => {
      gc();
      const times = await alternate(
        LIST_ROUNDS,
        LIST_WARMUP,
        i => plugin(pick(i)),
        i => baseline(pick(i)),
      );
      const ratio = median(times.a) / median(times.b);
      rows.push(
        `| ${label} | ${minMedianMax(
          times.a,
        )} | ${baselineLabel}: ${minMedianMax(times.b)} | ${ratio.toFixed(
          4,
        )} | ${
          withGoal
            ? `≤ ${LIST_RATIO_GOAL}: ${goal(ratio <= LIST_RATIO_GOAL)}`
            : '—'
        } |`,
      );
    };
    await measure(
      "an entity's objects, as GatewayService.list loads them (`loadLiveObjects`)",
      `${MANAGED_KINDS.length} label-selector lists (one per managed kind, concurrent)`,
      t => loadLiveObjects(t.target, cluster, { liveState }),
      t => loadLiveObjects(t.target, cluster, { fresh: true }),
      true,
    );
    await measure(
      'same cache read vs the narrowest list',
      'one HTTPRoute label-selector list',
      t => loadLiveObjects(t.target, cluster, { liveState }),
      t =>
        api.list('gateway.networking.k8s.io/v1', 'HTTPRoute', {
          namespace: t.namespace,
          labelSelector: entityLabelSelector(t.entityRef),
        }),
      false,
    );
    await measure(
      "`GatewayService.list(entity, 'route')` end to end (bundle views, status)",
      'the same service without a live state (lists + a GET per AIGatewayRoute)',
      t => services.gateway.list(t.entity, 'route'),
      t => uncached.list(t.entity, 'route'),
      false,
    );
    lines.push(
      `### 1. An entity's routes among ${RESOURCES} (${ENTITIES} entities × ${HTTP_ROUTES_PER_ENTITY} HTTPRoutes + ${AI_ROUTES_PER_ENTITY} AIGatewayRoutes, one namespace)`,
      '',
      `Populate through the plugin's client (16 at a time): ${(
        populateMs / 1000
      ).toFixed(1)} s; start → cache synced (${
        MANAGED_KINDS.length
      } lists + watches): ${formatMs(
        syncMs,
      )}. ${LIST_ROUNDS} rounds per row (after ${LIST_WARMUP} unrecorded), plugin and baseline alternating which goes first, the entity changing every round.`,
      '',
      '| measurement | plugin (watch cache), min / median / max | baseline (API server), min / median / max | ratio of medians | goal |',
      '|---|---|---|---|---|',
      ...rows,
      '',
    );

    // 2. Status write → change callback, one entity per round.
    const status = await statusLatency({
      admin: adminKubeConfig(),
      namespace,
      targets: entities.slice(0, STATUS_ROUNDS).map(e => ({
        entityRef: e.entityRef,
        route: `${e.entity.metadata.name}-route-0`,
      })),
      changes,
      timeoutMs: STATUS_TIMEOUT_MS,
    });
    const slowest = Math.max(...status.plugin);
    lines.push(
      '### 2. Status write (status subresource) → change callback',
      '',
      `${status.rounds} rounds, one HTTPRoute of another entity each, Accepted True and False in turn; each round's write is observed by both, so there is no order to alternate. Times from sending the write.`,
      '',
      '| measurement | min / median / max | goal |',
      '|---|---|---|',
      `| the API server answers the write | ${minMedianMax(status.ack)} | — |`,
      `| baseline: a plain client-node watch gets the MODIFIED event | ${minMedianMax(
        status.watch,
      )} | — |`,
      `| plugin: GatewayLiveState's onChange has the new status in the entity's summary (where plugin.ts raises alerts and publishes the signal) | ${minMedianMax(
        status.plugin,
      )} | every round ≤ ${STATUS_GOAL_MS} ms: ${goal(
        slowest <= STATUS_GOAL_MS,
      )} |`,
      '',
    );

    // 3. Validation per bundle.
    await validationBenchmark({
      lines,
      entity: entities[0].entity,
      entityRef: entities[0].entityRef,
      namespace,
      gateway: services.gateway,
      runs: VALIDATION_RUNS,
      serverRuns: SERVER_VALIDATION_RUNS,
    });
  } finally {
    await cleanup.runAll();
  }
  console.log(lines.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
