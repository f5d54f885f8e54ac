import type { DockerCapabilities, DockerInfoSummary } from './types';

/*
 * What `docker info` says the engine can enforce, turned into warnings an
 * operator can act on. The engine's behaviour when a limit is unsupported
 * differs per limit (dockerd 20.10, daemon/daemon_unix.go):
 *   - memory, swap, pids: the limit is silently discarded at create;
 *   - CPU (NanoCpus) without the CFS controller: create is refused;
 *   - Init without the init binary: start fails.
 * Each message says which of these follows for users.
 *
 * The cgroup version alone is no warning: rootful cgroup v1 (this project's CI
 * engine) enforces every limit; only rootless on v1 enforces none. Nor is
 * OomKillDisable=false: the runner never disables the OOM killer, so not
 * being able to is harmless; it is reported in `info` only.
 */

/** The fields of GET /info we read; the engine sends many more. */
export interface RawDockerInfo {
  ServerVersion?: string;
  OperatingSystem?: string;
  KernelVersion?: string;
  CgroupVersion?: string;
  CgroupDriver?: string;
  NCPU?: number;
  MemTotal?: number;
  MemoryLimit?: boolean;
  SwapLimit?: boolean;
  CpuCfsQuota?: boolean;
  CpuCfsPeriod?: boolean;
  PidsLimit?: boolean;
  OomKillDisable?: boolean;
  InitBinary?: string;
  InitCommit?: { ID?: string };
  SecurityOptions?: string[];
  Warnings?: string[] | null;
}

export function summarizeInfo(info: RawDockerInfo): DockerInfoSummary {
  const securityOptions = info.SecurityOptions ?? [];
  return {
    serverVersion: info.ServerVersion ?? 'unknown',
    operatingSystem: info.OperatingSystem ?? 'unknown',
    kernelVersion: info.KernelVersion ?? 'unknown',
    cgroupVersion: info.CgroupVersion || undefined,
    cgroupDriver: info.CgroupDriver || undefined,
    cpus: info.NCPU ?? 0,
    memoryBytes: info.MemTotal ?? 0,
    memoryLimit: info.MemoryLimit === true,
    swapLimit: info.SwapLimit === true,
    cpuCfsQuota: info.CpuCfsQuota === true,
    cpuCfsPeriod: info.CpuCfsPeriod === true,
    pidsLimit: info.PidsLimit === true,
    oomKillDisable: info.OomKillDisable === true,
    initBinary: initBinaryOf(info),
    securityOptions,
    rootless: securityOptions.some(o => /\bname=rootless\b/.test(o)),
  };
}

/** undefined when the engine has no usable init binary. */
function initBinaryOf(info: RawDockerInfo): string | undefined {
  // The engine reports InitCommit.ID "N/A" when running `<init> --version` failed.
  if (!info.InitBinary || info.InitCommit?.ID === 'N/A') return undefined;
  return info.InitBinary;
}

export function capabilityWarnings(info: RawDockerInfo): DockerCapabilities {
  const summary = summarizeInfo(info);
  const warnings: string[] = [];
  const noCgroups = summary.cgroupDriver === 'none';

  if (noCgroups || (summary.rootless && summary.cgroupVersion === '1')) {
    warnings.push(
      `No resource limit is enforced: the engine runs ${
        noCgroups ? 'without a cgroup driver' : 'rootless on cgroup v1'
      }, so memory, CPU and PIDs limits are ignored and one runner container can use the whole host. Run the engine with cgroup v2 (or rootful) to enforce resourceLimits.`,
    );
  } else {
    if (!summary.memoryLimit) {
      warnings.push(
        'Memory limits are not enforced (MemoryLimit=false: no cgroup memory controller): the engine discards resourceLimits.memory, containers can use all host memory, and they are never OOM-killed at their limit.',
      );
    }
    if (summary.memoryLimit && !summary.swapLimit) {
      warnings.push(
        'Swap limits are not enforced (SwapLimit=false, e.g. cgroup v1 without swapaccount=1): Memory=MemorySwap cannot forbid swap, so a container over its memory limit swaps and slows down instead of being OOM-killed.',
      );
    }
    if (!summary.cpuCfsQuota || !summary.cpuCfsPeriod) {
      warnings.push(
        'CPU limits cannot be enforced (CpuCfsQuota/CpuCfsPeriod=false: no CFS bandwidth control in the cgroup CPU controller): the engine refuses containers with NanoCpus, so every runner start fails until the engine has the CPU controller.',
      );
    }
    if (!summary.pidsLimit) {
      warnings.push(
        'PIDs limits are not enforced (PidsLimit=false: no cgroup pids controller): the engine discards resourceLimits.pids, so a fork bomb in one container can exhaust the host’s processes.',
      );
    }
  }
  if (!summary.initBinary) {
    warnings.push(
      'The engine has no init binary (docker-init): runner containers are created with Init=true and will fail to start until the engine can find its init (dockerd --init-path).',
    );
  }
  if (!summary.securityOptions.some(o => /\bname=seccomp\b/.test(o))) {
    warnings.push(
      'The engine has no seccomp support: runner containers run without a syscall filter, so a compromised component has the whole kernel interface to attack.',
    );
  }
  for (const warning of info.Warnings ?? []) {
    warnings.push(`Docker engine: ${warning.replace(/^WARNING:\s*/, '')}`);
  }
  return { warnings, info: summary };
}
