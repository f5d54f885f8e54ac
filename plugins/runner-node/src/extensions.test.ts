import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  RunnerRuntimeRegistry,
  runnerRuntimesExtensionPoint,
} from './extensions';
import type { RunnerRuntime } from './runtime/types';

/** The smallest object of the interface's shape; the registry only reads `id`. */
function runtimeWithId(id: string): RunnerRuntime {
  const unused = async (): Promise<never> => {
    throw new Error('not called by these tests');
  };
  return {
    id,
    prepare: unused,
    launch: unused,
    observe: () => ({ close: () => undefined }),
    stop: unused,
    remove: unused,
    logs: () => ({
      [Symbol.asyncIterator]: () => ({ next: unused }),
    }),
    stats: unused,
    adopt: unused,
  };
}

describe('runnerRuntimesExtensionPoint', () => {
  it('hands the runtimes of backend modules to the runner plugin', async () => {
    const registry = new RunnerRuntimeRegistry();
    let seenAtInit: string[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'runner',
      register(env) {
        env.registerExtensionPoint(runnerRuntimesExtensionPoint, registry);
        env.registerInit({
          deps: {},
          async init() {
            seenAtInit = registry.ids();
          },
        });
      },
    });
    const kubernetesModule = createBackendModule({
      pluginId: 'runner',
      moduleId: 'kubernetes-runtime',
      register(env) {
        env.registerInit({
          deps: { runtimes: runnerRuntimesExtensionPoint },
          async init({ runtimes }) {
            runtimes.addRuntime(runtimeWithId('kubernetes'));
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [plugin, kubernetesModule],
    });
    // Modules initialize before their plugin: the plugin sees every runtime.
    expect(seenAtInit).toEqual(['kubernetes']);
    expect(registry.get('kubernetes')?.id).toBe('kubernetes');
    expect(registry.get('docker')).toBeUndefined();
    await backend.stop();
  });

  it('refuses a second runtime with a taken id, and ids that config cannot name', () => {
    const registry = new RunnerRuntimeRegistry();
    registry.addRuntime(runtimeWithId('docker'));
    expect(() => registry.addRuntime(runtimeWithId('docker'))).toThrow(
      "with id 'docker' is registered already",
    );
    expect(() => registry.addRuntime(runtimeWithId('Docker Engine'))).toThrow(
      "got 'Docker Engine'",
    );
    expect(registry.ids()).toEqual(['docker']);
  });
});
