import { capabilityWarnings, type RawDockerInfo } from './capabilities';
import { testEngine } from './__testUtils__/dockerTestEnv';

const full: RawDockerInfo = {
  ServerVersion: '20.10.24',
  CgroupVersion: '1',
  CgroupDriver: 'cgroupfs',
  NCPU: 2,
  MemTotal: 1e9,
  MemoryLimit: true,
  SwapLimit: true,
  CpuCfsQuota: true,
  CpuCfsPeriod: true,
  PidsLimit: true,
  OomKillDisable: true,
  InitBinary: 'docker-init',
  InitCommit: { ID: '' },
  SecurityOptions: ['name=seccomp,profile=default'],
  Warnings: null,
};

describe('capabilityWarnings', () => {
  it('says nothing when every limit is enforced', () => {
    expect(capabilityWarnings(full).warnings).toEqual([]);
  });

  it('names each limit that is not enforced and what follows', () => {
    const { warnings } = capabilityWarnings({
      ...full,
      SwapLimit: false,
      CpuCfsQuota: false,
      PidsLimit: false,
      InitCommit: { ID: 'N/A' },
      SecurityOptions: [],
      Warnings: ['WARNING: No swap limit support'],
    });
    expect(warnings).toEqual([
      expect.stringMatching(/^Swap limits are not enforced .*OOM-killed/),
      expect.stringMatching(
        /^CPU limits cannot be enforced .*every runner start fails/,
      ),
      expect.stringMatching(/^PIDs limits are not enforced .*fork bomb/),
      expect.stringMatching(/no init binary .*fail to start/),
      expect.stringMatching(/no seccomp support/),
      'Docker engine: No swap limit support',
    ]);
  });

  it('reports missing memory limits, and rootless cgroup v1 as no limits at all', () => {
    expect(
      capabilityWarnings({ ...full, MemoryLimit: false }).warnings,
    ).toEqual([
      expect.stringMatching(
        /^Memory limits are not enforced .*never OOM-killed/,
      ),
    ]);
    expect(
      capabilityWarnings({
        ...full,
        SecurityOptions: ['name=seccomp,profile=default', 'name=rootless'],
      }).warnings,
    ).toEqual([
      expect.stringMatching(
        /^No resource limit is enforced: .*rootless on cgroup v1/,
      ),
    ]);
  });

  it('reads the real engine', async () => {
    const { info, warnings } = await testEngine().capabilities();
    expect(info.serverVersion).toBeTruthy();
    expect(info.cpus).toBeGreaterThan(0);
    expect(Array.isArray(warnings)).toBe(true);
  });
});
