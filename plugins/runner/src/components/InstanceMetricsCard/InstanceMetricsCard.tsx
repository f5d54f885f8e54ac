import { useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  InstanceMetrics,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import useAsync from 'react-use/esm/useAsync';
import { runnerApiRef } from '../../api';
import { useInstanceMetrics } from '../../hooks/useInstanceMetrics';
import { errorMessage, shortId } from '../../lib/format';
import {
  byteScale,
  cpuLimitPercent,
  cpuRows,
  DEFAULT_RANGE,
  formatBytesValue,
  formatPercent,
  formatRate,
  latestAndPeak,
  maxOf,
  memoryRows,
  METRICS_RANGES,
  rateRows,
  refreshIntervalMs,
  type MetricsRange,
} from '../../lib/metricsData';
import { MetricChart } from '../MetricChart';

/** Axis ticks in one unit chosen from the largest value shown. */
function bytesTick(max: number, suffix = '') {
  const { unit, divisor } = byteScale(max);
  return (value: number) =>
    `${Number((value / divisor).toFixed(1))} ${unit}${suffix}`;
}

function orDash(value: number | undefined, format: (v: number) => string) {
  return value === undefined ? '—' : format(value);
}

/**
 * The CPU limit of the entity's effective config, in percent of one core.
 * The config is read again here rather than taken from the instance: the
 * instance does not carry its limits, and the current config is what a
 * newly started instance gets (an older one may differ until restarted).
 */
function useCpuLimitPercent(entityRef: string): number | undefined {
  const runnerApi = useApi(runnerApiRef);
  const { value } = useAsync(
    () => runnerApi.getEffectiveConfig(entityRef),
    [runnerApi, entityRef],
  );
  const limits = value?.docker?.resourceLimits as
    | Record<string, unknown>
    | undefined;
  return cpuLimitPercent(limits?.nanoCpus);
}

function Charts(props: {
  metrics: InstanceMetrics;
  range: MetricsRange;
  cpuLimit?: number;
}) {
  const { metrics, range, cpuLimit } = props;
  const theme = useTheme();
  const first = theme.palette.primary.main;
  const second = theme.palette.secondary.main;
  const limitColor = theme.palette.error.main;
  const domain: [number, number] = [
    Date.parse(metrics.from),
    Date.parse(metrics.to),
  ];

  const charts = useMemo(() => {
    const cpu = cpuRows(metrics);
    const memory = memoryRows(metrics);
    const network = rateRows(metrics, [
      { name: 'networkRxBytes', key: 'rx' },
      { name: 'networkTxBytes', key: 'tx' },
    ]);
    const block = rateRows(metrics, [
      { name: 'blockReadBytes', key: 'read' },
      { name: 'blockWriteBytes', key: 'write' },
    ]);
    return { cpu, memory, network, block };
  }, [metrics]);

  const cpuNow = latestAndPeak(charts.cpu, 'cpu', 'cpuMax');
  const memNow = latestAndPeak(charts.memory, 'memory', 'memoryMax');
  const limit = latestAndPeak(charts.memory, 'limit').latest;
  const rx = latestAndPeak(charts.network, 'rx').latest;
  const tx = latestAndPeak(charts.network, 'tx').latest;
  const read = latestAndPeak(charts.block, 'read').latest;
  const write = latestAndPeak(charts.block, 'write').latest;
  const over = `over the ${range.description}`;

  const cpuSummary =
    cpuNow.latest === undefined
      ? 'No CPU value yet: CPU use needs two samples.'
      : `Latest ${formatPercent(cpuNow.latest)}, peak ${orDash(
          cpuNow.peak,
          formatPercent,
        )} ${over}${
          cpuLimit === undefined
            ? ''
            : `; limit ${formatPercent(cpuLimit)} (${cpuLimit / 100} cores)`
        }. 100 % is one core.`;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={6}>
        <MetricChart
          title="CPU"
          rows={charts.cpu}
          domain={domain}
          series={[{ key: 'cpu', name: 'CPU', color: first, band: true }]}
          formatValue={formatPercent}
          formatTick={formatPercent}
          reference={
            cpuLimit === undefined
              ? undefined
              : { value: cpuLimit, label: `limit ${formatPercent(cpuLimit)}` }
          }
          summary={cpuSummary}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <MetricChart
          title="Memory"
          rows={charts.memory}
          domain={domain}
          series={[
            { key: 'memory', name: 'Working set', color: first, band: true },
            { key: 'limit', name: 'Limit', color: limitColor, dashed: true },
          ]}
          formatValue={formatBytesValue}
          formatTick={bytesTick(
            maxOf(charts.memory, ['memoryMax', 'limit']),
          )}
          summary={`Working set latest ${orDash(
            memNow.latest,
            formatBytesValue,
          )}, peak ${orDash(memNow.peak, formatBytesValue)} ${over}, limit ${orDash(
            limit,
            formatBytesValue,
          )}.`}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <MetricChart
          title="Network"
          rows={charts.network}
          domain={domain}
          series={[
            { key: 'rx', name: 'Received', color: first },
            { key: 'tx', name: 'Sent', color: second },
          ]}
          formatValue={formatRate}
          formatTick={bytesTick(maxOf(charts.network, ['rx', 'tx']), '/s')}
          summary={`Latest: received ${orDash(rx, formatRate)}, sent ${orDash(
            tx,
            formatRate,
          )}.`}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <MetricChart
          title="Block I/O"
          rows={charts.block}
          domain={domain}
          series={[
            { key: 'read', name: 'Read', color: first },
            { key: 'write', name: 'Written', color: second },
          ]}
          formatValue={formatRate}
          formatTick={bytesTick(maxOf(charts.block, ['read', 'write']), '/s')}
          summary={`Latest: read ${orDash(read, formatRate)}, written ${orDash(
            write,
            formatRate,
          )}.`}
        />
      </Grid>
    </Grid>
  );
}

/**
 * CPU, memory, network and block I/O of one instance over a chosen range,
 * with min/avg/max per bucket, refreshed while the instance runs. Mount it
 * with `key={instance.id}` so that switching instances starts afresh.
 */
export function InstanceMetricsCard(props: { instance: RunnerInstance }) {
  const { instance } = props;
  const [range, setRange] = useState<MetricsRange>(DEFAULT_RANGE);
  const metrics = useInstanceMetrics(instance, range);
  const cpuLimit = useCpuLimitPercent(instance.entityRef);
  const value = metrics.value;

  const selector = (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={range.key}
      onChange={(_event, key: string | null) => {
        // Clicking the selected range again would unselect it; keep it.
        const next = METRICS_RANGES.find(r => r.key === key);
        if (next) setRange(next);
      }}
      aria-label="Metrics time range"
    >
      {METRICS_RANGES.map(r => (
        <ToggleButton
          key={r.key}
          value={r.key}
          aria-label={`Show the ${r.description}`}
        >
          {r.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );

  let body;
  if (!value && metrics.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not load the metrics"
          error={metrics.error}
        />
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={metrics.refresh}
            aria-label="Load the metrics again"
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!value) {
    body = <Progress aria-label="Loading the metrics" />;
  } else if (value.timestamps.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {metrics.live
          ? 'No samples yet — the first appear within ~10 s of start.'
          : `No samples over the ${range.description}: the instance was not running then.`}
      </Typography>
    );
  } else {
    body = <Charts metrics={value} range={range} cpuLimit={cpuLimit} />;
  }

  const refreshSeconds = refreshIntervalMs(range) / 1000;
  let subheader = metrics.live
    ? `Refreshes every ${refreshSeconds} s while the instance runs`
    : 'Not running: the history up to its stop';
  if (value && value.source !== 'raw') {
    subheader += '; older points are 5-minute averages';
  }

  return (
    <InfoCard
      title={`Metrics of instance ${shortId(instance.id)}`}
      titleTypographyProps={{ component: 'h3' }}
      subheader={subheader}
      action={selector}
    >
      {value && metrics.error && (
        <Box mb={2}>
          <Alert severity="warning">
            Could not refresh the metrics: {errorMessage(metrics.error)}
          </Alert>
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
