import type { RawContainerStats } from '../docker/types';
import {
  blockIo,
  computeStats,
  cpuCounters,
  cpuRatio,
  hasStats,
  memoryWorkingSet,
} from './statsMath';

/*
 * Shapes as Docker 20.10 (cgroup v1, captured on this engine) and Docker
 * 24+ on cgroup v2 send them for `stats?stream=false&one-shot=true`.
 */

function v1(
  totalUsage: number,
  systemUsage: number,
  read: string,
): RawContainerStats {
  return {
    read,
    cpu_stats: {
      cpu_usage: { total_usage: totalUsage, percpu_usage: [totalUsage, 0] },
      system_cpu_usage: systemUsage,
      online_cpus: 2,
    },
    precpu_stats: { cpu_usage: { total_usage: 0 } },
    memory_stats: {
      usage: 692224,
      limit: 67108864,
      stats: { total_inactive_file: 32768, inactive_file: 4096, cache: 32768 },
    },
    pids_stats: { current: 3 },
    blkio_stats: {
      io_service_bytes_recursive: [
        { major: 8, minor: 0, op: 'Read', value: 4096 },
        { major: 8, minor: 0, op: 'Write', value: 8192 },
        { major: 8, minor: 0, op: 'Sync', value: 12288 },
        { major: 8, minor: 0, op: 'Total', value: 12288 },
        { major: 8, minor: 16, op: 'Read', value: 100 },
      ],
    },
    networks: {
      eth0: { rx_bytes: 486, tx_bytes: 0 },
      eth1: { rx_bytes: 14, tx_bytes: 90 },
    },
  };
}

const v2: RawContainerStats = {
  read: '2026-11-26T03:29:47.052676079Z',
  cpu_stats: {
    cpu_usage: { total_usage: 5_000_000 },
    system_cpu_usage: 1e12,
    online_cpus: 4,
  },
  precpu_stats: { cpu_usage: { total_usage: 0 } },
  memory_stats: {
    usage: 10_000_000,
    limit: 268435456,
    stats: { inactive_file: 2_000_000, file: 3_000_000, anon: 7_000_000 },
  },
  pids_stats: { current: 7 },
  blkio_stats: {
    io_service_bytes_recursive: [
      { major: 259, minor: 0, op: 'read', value: 1_048_576 },
      { major: 259, minor: 0, op: 'write', value: 4096 },
    ],
  },
};

describe('docker stats arithmetic', () => {
  it('computes CPU from two one-shot samples as a ratio of one core', () => {
    // 0.5 s of container CPU while the host's 2 cores ran 2 s: a quarter of
    // the host, half a core (docker stats: 50.00%).
    const a = cpuCounters(
      v1(1_000_000_000, 100_000_000_000, '2026-11-26T03:29:47Z'),
      0,
    );
    const b = cpuCounters(
      v1(1_500_000_000, 102_000_000_000, '2026-11-26T03:29:48Z'),
      0,
    );
    expect(cpuRatio(a, b)).toBeCloseTo(0.5, 10);
    // A burner on both cores: 2 s of CPU in 2 s of host time × 2 cores.
    const c = cpuCounters(
      v1(3_500_000_000, 104_000_000_000, '2026-11-26T03:29:49Z'),
      0,
    );
    expect(cpuRatio(b, c)).toBeCloseTo(2, 10);
    // A restarted container's counter starts again: no value rather than a negative one.
    expect(cpuRatio(c, a)).toBeUndefined();
  });

  it('falls back to wall-clock time when the engine sends no host CPU counter', () => {
    const raw = (usage: number, read: string) => ({
      ...v1(usage, 0, read),
      cpu_stats: { cpu_usage: { total_usage: usage }, online_cpus: 2 },
    });
    const a = cpuCounters(raw(0, '2026-11-26T03:29:47Z'), 0);
    const b = cpuCounters(raw(250_000_000, '2026-11-26T03:29:48Z'), 0);
    expect(cpuRatio(a, b)).toBeCloseTo(0.25, 10);
  });

  it('subtracts inactive page cache like docker stats: total_inactive_file on cgroup v1, inactive_file on v2', () => {
    expect(memoryWorkingSet(v1(1, 1, '2026-11-26T03:29:47Z'))).toBe(
      692224 - 32768,
    );
    expect(memoryWorkingSet(v2)).toBe(8_000_000);
    // More cache than usage (racy counters): usage as is.
    expect(
      memoryWorkingSet({
        ...v2,
        memory_stats: { usage: 10, stats: { inactive_file: 20 } },
      }),
    ).toBe(10);
  });

  it('sums block I/O of every device, spelled either way, and network of every interface', () => {
    expect(blockIo(v1(1, 1, '2026-11-26T03:29:47Z'))).toEqual({
      read: 4196,
      write: 8192,
    });
    expect(blockIo(v2)).toEqual({ read: 1_048_576, write: 4096 });
    const stats = computeStats(
      v1(1, 1, '2026-11-26T03:29:47Z'),
      undefined,
      cpuCounters(v2, 0),
    );
    expect(stats).toEqual({
      cpuRatio: undefined,
      memoryWorkingSetBytes: 659456,
      memoryLimitBytes: 67108864,
      networkRxBytes: 500,
      networkTxBytes: 90,
      blockReadBytes: 4196,
      blockWriteBytes: 8192,
      pids: 3,
    });
  });

  it('recognizes the empty answer for a container that stopped meanwhile', () => {
    expect(hasStats(v2)).toBe(true);
    expect(hasStats({ ...v2, read: '0001-01-01T00:00:00Z' })).toBe(false);
    expect(hasStats(undefined)).toBe(false);
  });
});
