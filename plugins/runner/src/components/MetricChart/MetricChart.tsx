import { useId } from 'react';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartRow } from '../../lib/metricsData';

const useStyles = makeStyles(theme => ({
  figure: { margin: 0 },
  tooltip: { padding: theme.spacing(1, 1.5) },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
    marginRight: theme.spacing(0.75),
  },
}));

/** One line of a chart. */
export interface ChartSeries {
  /** Key of the value (the average for banded series) in the rows. */
  key: string;
  name: string;
  color: string;
  /**
   * Draw the bucket's min–max (`<key>Band`) as a shaded band behind the
   * average line, and name min and max in the tooltip.
   */
  band?: boolean;
  dashed?: boolean;
}

export interface MetricChartProps {
  title: string;
  rows: ChartRow[];
  series: ChartSeries[];
  /** The x range, epoch ms: the requested range, so an empty start shows as empty. */
  domain: [number, number];
  /** A value in its unit, for tooltips (`12.5 %`, `110 MiB`). */
  formatValue: (value: number) => string;
  /** An axis tick; one unit per axis. */
  formatTick: (value: number) => string;
  /** A horizontal line such as a limit. */
  reference?: { value: number; label: string };
  /** What the chart shows in words, under it: read by everyone, spoken by screen readers. */
  summary: string;
  height?: number;
}

function formatTime(t: number, spanMs: number): string {
  const date = new Date(t);
  if (spanMs > 86_400_000) {
    return date.toLocaleString(undefined, {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
  }
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
  });
}

function ChartTooltip(props: {
  active?: boolean;
  row?: ChartRow;
  series: ChartSeries[];
  formatValue: (value: number) => string;
}) {
  const classes = useStyles();
  const { row, series, formatValue } = props;
  if (!props.active || !row) return null;
  const value = (key: string) => {
    const v = row[key];
    return typeof v === 'number' ? formatValue(v) : 'no sample';
  };
  return (
    <Paper className={classes.tooltip} elevation={3}>
      <Typography variant="caption" component="div" color="textSecondary">
        {new Date(row.t).toLocaleString()}
      </Typography>
      {series.map(s => (
        <Typography key={s.key} variant="body2" component="div">
          <span
            className={classes.swatch}
            style={{ backgroundColor: s.color }}
          />
          {s.name}
          {s.band ? ' (avg)' : ''}: {value(s.key)}
          {s.band && typeof row[s.key] === 'number' && (
            <Typography variant="caption" color="textSecondary">
              {' '}
              min {value(`${s.key}Min`)}, max {value(`${s.key}Max`)}
            </Typography>
          )}
        </Typography>
      ))}
    </Paper>
  );
}

/**
 * One metric over time: the average per bucket as a line, and for banded
 * series the bucket's min–max as a band, so a spike inside a wide bucket
 * is not averaged away. The chart is a figure named by its title with a
 * text summary under it; recharts' accessibility layer lets keyboard users
 * step through the points with the arrow keys.
 *
 * The container starts at a fixed size (`initialDimension`) and then follows
 * its parent's width: without a ResizeObserver (jsdom, old browsers) it
 * still renders at that size instead of at 0×0.
 */
export function MetricChart(props: MetricChartProps) {
  const { title, rows, series, domain, formatValue, formatTick } = props;
  const height = props.height ?? 200;
  const classes = useStyles();
  const theme = useTheme();
  const titleId = useId();
  const spanMs = domain[1] - domain[0];
  const tick = { fontSize: 11, fill: theme.palette.text.secondary };

  return (
    <figure className={classes.figure} aria-labelledby={titleId}>
      <Typography
        variant="subtitle2"
        component="figcaption"
        id={titleId}
        gutterBottom
      >
        {title}
      </Typography>
      <ResponsiveContainer
        width="100%"
        height={height}
        initialDimension={{ width: 480, height }}
      >
        <ComposedChart
          data={rows}
          margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
          title={title}
        >
          <CartesianGrid stroke={theme.palette.divider} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={domain}
            allowDataOverflow
            tick={tick}
            tickFormatter={t => formatTime(t, spanMs)}
            minTickGap={24}
          />
          <YAxis
            tick={tick}
            tickFormatter={formatTick}
            width={72}
            domain={[0, 'auto']}
            allowDecimals
          />
          <Tooltip
            isAnimationActive={false}
            content={({ active, payload }) => (
              <ChartTooltip
                active={active}
                row={payload?.[0]?.payload as ChartRow | undefined}
                series={series}
                formatValue={formatValue}
              />
            )}
          />
          {series
            .filter(s => s.band)
            .map(s => (
              <Area
                key={`${s.key}Band`}
                dataKey={`${s.key}Band`}
                name={`${s.name} min–max`}
                stroke="none"
                fill={s.color}
                fillOpacity={0.18}
                isAnimationActive={false}
                activeDot={false}
                legendType="none"
              />
            ))}
          {series.map(s => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dashed ? '6 4' : undefined}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {props.reference && (
            <ReferenceLine
              y={props.reference.value}
              stroke={theme.palette.error.main}
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
              label={{
                value: props.reference.label,
                position: 'insideTopRight',
                fontSize: 11,
                fill: theme.palette.error.main,
              }}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
      <Typography variant="caption" color="textSecondary" component="p">
        {props.summary}
      </Typography>
    </figure>
  );
}
