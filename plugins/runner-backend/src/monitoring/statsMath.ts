import type { RawContainerStats } from '../docker/types';

/*
 * `docker stats` arithmetic (docker/cli cli/command/container/stats_helpers.go)
 * over the engine's raw JSON. One-shot stats leave `precpu_stats` zeroed, so
 * CPU comes from the delta between two of our own samples of the container.
 */

/** The CPU counters of one sample, kept in memory until the next one. */
export interface CpuCounters {
  /** Nanoseconds of CPU the container has used since it started. */
  totalUsageNs: number;
  /** Nanoseconds of CPU the host has used (all cores summed); absent on Windows. */
  systemUsageNs?: number;
  onlineCpus: number;
  /** When the sample was read (epoch ms), for the wall-clock fallback. */
  readAtMs: number;
}

/** What one sample holds, before it gets an instance id and a time. */
export interface ComputedStats {
  cpuRatio?: number;
  memoryWorkingSetBytes: number;
  memoryLimitBytes: number;
  networkRxBytes: number;
  networkTxBytes: number;
  blockReadBytes: number;
  blockWriteBytes: number;
  pids: number;
}

type BlkioEntry = { op?: string; value?: number };

export function cpuCounters(
  raw: RawContainerStats,
  fallbackReadAtMs: number,
): CpuCounters {
  const cpu = raw.cpu_stats;
  const readAt = Date.parse(raw.read);
  return {
    totalUsageNs: cpu?.cpu_usage?.total_usage ?? 0,
    systemUsageNs: cpu?.system_cpu_usage,
    // Older engines leave online_cpus out; the per-CPU list has one entry per core.
    onlineCpus: cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1,
    // The zero time ("0001-01-01…") parses to a negative number: not a real read time.
    readAtMs: readAt > 0 ? readAt : fallbackReadAtMs,
  };
}

/**
 * CPU used between two samples of the same container, as a ratio of one
 * core (docker stats' CPU % / 100): the container's CPU time over the host's
 * CPU time, times the number of cores. Undefined when the counters went
 * backwards (a new container under the same id) or did not move.
 */
export function cpuRatio(
  previous: CpuCounters,
  current: CpuCounters,
): number | undefined {
  const used = current.totalUsageNs - previous.totalUsageNs;
  if (used < 0) return undefined;
  if (
    current.systemUsageNs !== undefined &&
    previous.systemUsageNs !== undefined
  ) {
    const system = current.systemUsageNs - previous.systemUsageNs;
    if (system > 0) return (used / system) * current.onlineCpus;
  }
  // No host counter (Windows engines): CPU time over elapsed wall time.
  const elapsedNs = (current.readAtMs - previous.readAtMs) * 1e6;
  return elapsedNs > 0 ? used / elapsedNs : undefined;
}

/**
 * Usage minus the page cache the kernel can reclaim at once: cgroup v1
 * reports it as `total_inactive_file`, v2 as `inactive_file`. The engine's
 * `usage` alone counts cache and overstates what the process holds.
 */
export function memoryWorkingSet(raw: RawContainerStats): number {
  const usage = raw.memory_stats?.usage ?? 0;
  const stats = raw.memory_stats?.stats ?? {};
  if ('total_inactive_file' in stats) {
    const inactive = stats.total_inactive_file;
    if (inactive < usage) return usage - inactive;
  } else if ((stats.inactive_file ?? Infinity) < usage) {
    return usage - stats.inactive_file;
  }
  return usage;
}

/** Block I/O bytes; cgroup v1 spells the ops `Read`/`Write`, v2 `read`/`write`. */
export function blockIo(raw: RawContainerStats): {
  read: number;
  write: number;
} {
  const blkio = raw.blkio_stats as
    | { io_service_bytes_recursive?: BlkioEntry[] | null }
    | undefined;
  let read = 0;
  let write = 0;
  for (const entry of blkio?.io_service_bytes_recursive ?? []) {
    const op = entry.op?.[0]?.toLowerCase();
    if (op === 'r') read += entry.value ?? 0;
    else if (op === 'w') write += entry.value ?? 0;
  }
  return { read, write };
}

export function networkIo(raw: RawContainerStats): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const iface of Object.values(raw.networks ?? {})) {
    rx += iface.rx_bytes ?? 0;
    tx += iface.tx_bytes ?? 0;
  }
  return { rx, tx };
}

/**
 * Whether the engine sent real stats: a container that stopped between the
 * listing and the read answers with an empty document (zero read time).
 */
export function hasStats(raw: RawContainerStats | undefined): boolean {
  return Boolean(raw && Date.parse(raw.read) > 0 && raw.cpu_stats?.cpu_usage);
}

/** Everything `docker stats` shows, from one raw sample and the previous CPU counters. */
export function computeStats(
  raw: RawContainerStats,
  previous: CpuCounters | undefined,
  current: CpuCounters,
): ComputedStats {
  const net = networkIo(raw);
  const blk = blockIo(raw);
  return {
    cpuRatio: previous ? cpuRatio(previous, current) : undefined,
    memoryWorkingSetBytes: memoryWorkingSet(raw),
    memoryLimitBytes: raw.memory_stats?.limit ?? 0,
    networkRxBytes: net.rx,
    networkTxBytes: net.tx,
    blockReadBytes: blk.read,
    blockWriteBytes: blk.write,
    pids: raw.pids_stats?.current ?? 0,
  };
}
