// Rendering helpers for the tab tests. Not exported from an entry point.
// In __testUtils__ because it imports the test utilities, which are dev
// dependencies; the lint rule allows those only in tests and __testUtils__.
import type { ReactElement } from 'react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { runnerApiRef, type RunnerApi } from '../../api';
import { runnableEntity } from '../fixtures';

// AuthorizeResult lives in @backstage/plugin-permission-common, which this
// package does not depend on directly; the decision type is taken from
// mockApis.permission's own signature instead.
type Decision = Exclude<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize'],
  Function | undefined
>;

/** A permission API that denies the named permissions and allows the rest. */
export function permissionsDenying(...denied: string[]) {
  return mockApis.permission({
    authorize: request =>
      (denied.includes(request.permission.name) ? 'DENY' : 'ALLOW') as Decision,
  });
}

/**
 * A signals API whose messages the test sends with `send`; every channel's
 * subscribers are kept apart.
 */
export function testSignals() {
  const handlers = new Map<string, Array<(message: JsonObject) => void>>();
  const api: SignalApi = {
    subscribe: (channel, onMessage) => {
      const list = handlers.get(channel) ?? [];
      list.push(onMessage as (message: JsonObject) => void);
      handlers.set(channel, list);
      return { unsubscribe: () => undefined };
    },
  };
  return {
    api,
    subscribed: (channel: string) => (handlers.get(channel) ?? []).length > 0,
    send: (channel: string, message: JsonObject) =>
      (handlers.get(channel) ?? []).forEach(h => h(message)),
  };
}

// usePermission caches answers per permission and resource ref for the whole
// module (SWR), so a denial in one test would leak into the next. Each render
// gets the same entity in a namespace of its own.
let renders = 0;

/**
 * Renders a tab for the test entity (`hello`, with runner and gateway
 * annotations) in a namespace of its own.
 */
export function renderEntityTab(
  element: ReactElement,
  api: RunnerApi,
  options: { denied?: string[]; signals?: SignalApi; path?: string } = {},
) {
  const namespace = `test-${++renders}`;
  const entity = {
    ...runnableEntity,
    metadata: { ...runnableEntity.metadata, namespace },
  };
  const result = renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [runnerApiRef, api],
        permissionsDenying(...(options.denied ?? [])),
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ],
      initialRouteEntries: options.path ? [options.path] : undefined,
    },
  );
  return { entityRef: `component:${namespace}/hello`, result };
}
