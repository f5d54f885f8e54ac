import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * `runner.gateway`: where CRDs are read from when no cluster is connected
 * (or the cluster does not let the plugin list CRDs), and which Gateway API
 * channel wins when both are in those directories.
 */
export interface GatewayConfig {
  /** Directories searched recursively for CRD YAML; relative to the backend's working directory. */
  crdDirectories: string[];
  gatewayApiChannel: 'standard' | 'experimental';
}

export function readGatewayConfig(rootConfig: Config): GatewayConfig {
  const config = rootConfig.getOptionalConfig('runner.gateway');
  const directories = config?.getOptionalStringArray('crdDirectories') ?? [];
  const channel =
    config?.getOptionalString('gatewayApiChannel') ?? 'experimental';
  if (channel !== 'standard' && channel !== 'experimental') {
    throw new InputError(
      `Invalid config at 'runner.gateway.gatewayApiChannel': '${channel}'; use standard or experimental`,
    );
  }
  return {
    crdDirectories: directories.map(dir => path.resolve(dir)),
    gatewayApiChannel: channel,
  };
}
