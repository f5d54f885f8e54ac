/*
 * yarn bench:gateway, part 3: validation time per bundle — the in-process
 * layers (GatewayValidator.validateBundle: business rules, CRD OpenAPI
 * schema, CEL) with the upstream CRDs, cold and warm, and the whole
 * GatewayService.validate against the real API server (the cluster's own
 * CRDs, then a dryRun=All of every object).
 */
import type { Entity } from '@backstage/catalog-model';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { GatewayService } from '../src/gateway/service/GatewayService';
import {
  buildTemplate,
  HTTP_ROUTE_TEMPLATE,
  type TemplateId,
} from '../src/gateway/templates';
import { CrdRegistry } from '../src/gateway/validation/CrdRegistry';
import { GatewayValidator } from '../src/gateway/validation/validateBundle';
import { sharedCrdsDir } from '../src/gateway/__testUtils__/shared';
import {
  ALL_PROVIDER_INPUTS,
  httpRouteInput,
} from '../src/gateway/__testUtils__/templateInputs';
import { formatMs, minMedianMax } from './gatewaySupport';

interface BenchBundle {
  label: string;
  template: TemplateId;
  input: Record<string, unknown>;
}

function benchBundles(entityRef: string, namespace: string): BenchBundle[] {
  const withEntity = (input: object, name: string) => ({
    ...input,
    name: `val-${name}`,
    namespace,
    entityRef,
  });
  return [
    ...ALL_PROVIDER_INPUTS.map(([label, input], i) => ({
      label,
      template: input.provider as TemplateId,
      input: withEntity(input, String(i)),
    })),
    {
      label: 'HTTPRoute',
      template: HTTP_ROUTE_TEMPLATE as TemplateId,
      input: withEntity(httpRouteInput, 'route'),
    },
  ];
}

const errorsOf = (findings: GatewayFinding[]) =>
  findings.filter(f => f.severity === 'error');

export async function validationBenchmark(options: {
  lines: string[];
  entity: Entity;
  entityRef: string;
  namespace: string;
  gateway: GatewayService;
  runs: number;
  serverRuns: number;
}): Promise<void> {
  const { lines, runs, serverRuns } = options;
  const tLoad = performance.now();
  const registry = await CrdRegistry.fromDirectories([sharedCrdsDir()]);
  const loadMs = performance.now() - tLoad;
  const bundles = benchBundles(options.entityRef, options.namespace).map(b => {
    const result = buildTemplate(b.template, b.input);
    if (!result.ok) throw new Error(`template ${b.label} failed`);
    return {
      ...b,
      objects: result.bundle.objects,
      options: {
        entityRef: result.bundle.entityRef,
        bundle: b.input.name as string,
      },
    };
  });

  // Cold: each bundle in a fresh validator, which compiles the ajv schema and CEL rules of every kind it meets.
  const cold = bundles.map(b => {
    const fresh = new GatewayValidator(registry);
    const t0 = performance.now();
    const findings = fresh.validateBundle(b.objects, b.options);
    const errors = errorsOf(findings);
    if (errors.length > 0) {
      throw new Error(
        `${b.label}: template output has errors: ${JSON.stringify(errors)}`,
      );
    }
    return { ms: performance.now() - t0, warnings: findings.length };
  });
  // Warm: one validator, bundles interleaved, 10 unrecorded rounds first.
  const validator = new GatewayValidator(registry);
  const warm = bundles.map(() => [] as number[]);
  for (let run = 0; run < 10 + runs; run++) {
    bundles.forEach((b, index) => {
      const t0 = performance.now();
      validator.validateBundle(b.objects, b.options);
      if (run >= 10) warm[index].push(performance.now() - t0);
    });
  }
  // End to end on the real API server, bundles interleaved, one unrecorded round first.
  const server = bundles.map(() => [] as number[]);
  for (let run = 0; run < 1 + serverRuns; run++) {
    for (const [index, b] of bundles.entries()) {
      const t0 = performance.now();
      const answer = await options.gateway.validate(options.entity, {
        template: b.template,
        input: b.input,
      });
      const ms = performance.now() - t0;
      if (answer.status !== 'valid') {
        throw new Error(
          `${b.label}: validate said ${answer.status}: ${JSON.stringify(
            answer.findings,
          )}`,
        );
      }
      if (!answer.layers.dryRun.startsWith('ran')) {
        throw new Error(
          `${b.label}: the dry run did not run: ${answer.layers.dryRun}`,
        );
      }
      if (run >= 1) server[index].push(ms);
    }
  }

  lines.push(
    '### 3. Validation per bundle',
    '',
    `In-process: GatewayValidator.validateBundle (rules + CRD schema + CEL) with the ${
      registry.customResourceDefinitions().length
    } CRDs of the upstream lookup (YAML load: ${formatMs(
      loadMs,
    )}, 1 round). Cold: 1 round per bundle in a fresh validator. Warm: ${runs} rounds per bundle (after 10 unrecorded), bundles interleaved. End to end: GatewayService.validate on the real API server (the cluster's CRDs, then dryRun=All of every object), ${serverRuns} rounds per bundle (after 1 unrecorded), bundles interleaved.`,
    '',
    '| bundle | objects | cold, 1 round | warm in-process, min / median / max | end to end with the server dry run, min / median / max | findings |',
    '|---|---|---|---|---|---|',
    ...bundles.map(
      (b, index) =>
        `| ${b.label} | ${b.objects.length} | ${formatMs(
          cold[index].ms,
        )} | ${minMedianMax(warm[index])} | ${minMedianMax(
          server[index],
        )} | 0 errors, ${cold[index].warnings} warnings |`,
    ),
    '',
  );
}
