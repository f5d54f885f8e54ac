import { configSections } from './configRows';
import { effectiveConfig, SECRET_VALUE } from '../../testing/instances';

function rowsOf(config: Record<string, unknown>) {
  return Object.fromEntries(
    configSections(config).flatMap(section =>
      section.rows.map(row => [`${section.name}.${row.key}`, row]),
    ),
  );
}

describe('configSections', () => {
  it('flattens each section into dotted keys with readable values', () => {
    const rows = rowsOf(effectiveConfig());

    expect(rows['docker.resourceLimits.memoryBytes'].value).toBe('512 MiB');
    expect(rows['docker.resourceLimits.nanoCpus'].value).toBe('0.5 CPU');
    expect(rows['docker.buildTimeoutMs'].value).toBe('10m');
    expect(rows['docker.readOnlyRootfs'].value).toBe('No');
    expect(rows['docker.securityOptions'].value).toBe('no-new-privileges');
    expect(rows['build.buildArgs.NODE_VERSION'].value).toBe('22');
    expect(rows['run.ports'].value).toBe('8080/tcp');
    expect(rows['run.env.LOG_LEVEL'].value).toBe('debug');
    // Not config, so not shown as rows.
    expect(configSections(effectiveConfig()).map(s => s.name)).toEqual([
      'docker',
      'build',
      'run',
    ]);
  });

  it('takes the origin of a key, or of its nearest parent', () => {
    const rows = rowsOf(
      effectiveConfig({
        origins: {
          'docker.resourceLimits': 'app-config',
          'run.ports': 'annotation',
        },
      }),
    );
    expect(rows['docker.resourceLimits.memoryBytes'].origin).toBe('app-config');
    expect(rows['docker.resourceLimits.pidsLimit'].origin).toBe('app-config');
    expect(rows['run.ports'].origin).toBe('annotation');
    expect(rows['run.healthPath'].origin).toBeUndefined();
  });

  it('shows secrets as "set" even if a value slipped through', () => {
    const config = effectiveConfig();
    config.run.secretEnv = { API_TOKEN: SECRET_VALUE };
    const rows = rowsOf(config);

    expect(rows['run.secretEnv.API_TOKEN']).toMatchObject({
      value: 'set',
      secret: true,
    });
    expect(JSON.stringify(configSections(config))).not.toContain(SECRET_VALUE);
  });

  it('shows an empty secret group as None and renders fields it does not know', () => {
    const rows = rowsOf({
      ...effectiveConfig(),
      run: { secretEnv: {}, env: {} },
      network: { mode: 'bridge', secretToken: 'x' },
    });
    expect(rows['run.secretEnv'].value).toBe('None');
    expect(rows['run.env'].value).toBe('None');
    expect(rows['network.mode'].value).toBe('bridge');
    expect(rows['network.secretToken'].value).toBe('set');
  });
});
