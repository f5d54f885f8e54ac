import type { InstanceMetrics } from '@internal/plugin-runner-common';
import { instanceMetrics } from '../testing/monitoring';
import {
  byteScale,
  cpuLimitPercent,
  cpuRows,
  formatBytesValue,
  formatPercent,
  formatRate,
  latestAndPeak,
  memoryRows,
  METRICS_RANGES,
  rateRows,
  refreshIntervalMs,
} from './metricsData';

const MiB = 1024 * 1024;

/** Metrics with the given timestamps and one counter series. */
function counter(timestamps: number[], max: (number | null)[]): InstanceMetrics {
  return instanceMetrics(0, {
    stepMs: 10_000,
    timestamps,
    series: [
      { name: 'networkRxBytes', unit: 'bytes', min: max, avg: max, max },
    ],
  });
}

describe('metricsData', () => {
  it('turns the CPU ratio into percent with a min–max band', () => {
    const rows = cpuRows(instanceMetrics(2));
    expect(rows).toHaveLength(2);
    expect(rows[0].cpu).toBeCloseTo(20);
    expect(rows[0].cpuMin).toBeCloseTo(10);
    expect(rows[0].cpuMax).toBeCloseTo(30);
    const band = rows[0].cpuBand as [number, number];
    expect(band[0]).toBeCloseTo(10);
    expect(band[1]).toBeCloseTo(30);
  });

  it('keeps a missing CPU value (first sample of a container) as a gap', () => {
    const metrics = instanceMetrics(2);
    const cpu = metrics.series.find(s => s.name === 'cpuRatio')!;
    cpu.min[0] = cpu.avg[0] = cpu.max[0] = null;
    const rows = cpuRows(metrics);
    expect(rows[0].cpu).toBeNull();
    expect(rows[0].cpuBand).toBeNull();
    expect(latestAndPeak(rows, 'cpu', 'cpuMax').latest).toBeCloseTo(20);
  });

  it('carries the memory limit next to the working set', () => {
    const rows = memoryRows(instanceMetrics(1));
    expect(rows[0].memory).toBe(110 * MiB);
    expect(rows[0].limit).toBe(512 * MiB);
  });

  it('computes counter rates per second between buckets', () => {
    const rows = rateRows(counter([0, 10_000, 20_000], [0, 10_240, 30_720]), [
      { name: 'networkRxBytes', key: 'rx' },
    ]);
    expect(rows.map(r => r.rx)).toEqual([null, 1024, 2048]);
  });

  it('gives no rate when the counter restarted from zero', () => {
    const rows = rateRows(counter([0, 10_000, 20_000], [50_000, 100, 10_340]), [
      { name: 'networkRxBytes', key: 'rx' },
    ]);
    expect(rows.map(r => r.rx)).toEqual([null, null, 1024]);
  });

  it('breaks the line where buckets are missing instead of bridging the gap', () => {
    const rows = rateRows(counter([0, 10_000, 600_000], [0, 1000, 2000]), [
      { name: 'networkRxBytes', key: 'rx' },
    ]);
    // A null row right after the last bucket before the gap.
    expect(rows.map(r => r.t)).toEqual([0, 10_000, 20_000, 600_000]);
    expect(rows[2].rx).toBeNull();
    expect(rows[3].rx).toBeNull();
  });

  it('reads the CPU limit from NanoCpus', () => {
    expect(cpuLimitPercent(500_000_000)).toBe(50);
    expect(cpuLimitPercent(2e9)).toBe(200);
    expect(cpuLimitPercent(undefined)).toBeUndefined();
    expect(cpuLimitPercent(0)).toBeUndefined();
  });

  it('formats values in sensible units', () => {
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatPercent(0.5)).toBe('0.5 %');
    expect(formatBytesValue(512 * MiB)).toBe('512 MiB');
    expect(formatBytesValue(1536)).toBe('1.5 KiB');
    expect(formatRate(2048)).toBe('2 KiB/s');
    expect(formatRate(0)).toBe('0 B/s');
    expect(byteScale(3 * MiB)).toEqual({ unit: 'MiB', divisor: MiB });
  });

  it('never refreshes faster than every 10 s', () => {
    for (const range of METRICS_RANGES) {
      expect(refreshIntervalMs(range)).toBeGreaterThanOrEqual(10_000);
      expect(refreshIntervalMs(range)).toBeLessThanOrEqual(60_000);
    }
  });
});
