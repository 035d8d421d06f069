import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { number } from './dmp.api';

export interface ReachRow {
  name: string;
  estimate: number;
  low: number;
  high: number;
}

/**
 * Reach estimates as horizontal bars with their confidence intervals as error bars. The figure's
 * caption and the table beside it carry the same numbers for screen readers.
 */
export function ReachChart({ rows, label }: { rows: ReachRow[]; label: string }) {
  const data = rows.map((r) => ({ ...r, interval: [r.estimate - r.low, r.high - r.estimate] }));
  const height = Math.max(120, rows.length * 44 + 40);
  return (
    <figure className="chart" aria-label={label}>
      <div aria-hidden="true" style={{ height }} className="reach-chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data}
            layout="vertical"
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          >
            <CartesianGrid horizontal={false} strokeDasharray="3 3" />
            <XAxis type="number" tickFormatter={(v: number) => number.format(v)} />
            <YAxis type="category" dataKey="name" width={140} />
            <Tooltip
              contentStyle={{
                background: 'var(--surface)',
                border: '1px solid var(--border)',
                color: 'var(--text)',
              }}
              formatter={(value, _name, item) => {
                const row = item.payload as ReachRow;
                return [
                  `${number.format(Number(value))} (${number.format(row.low)}–${number.format(row.high)})`,
                  'reach',
                ];
              }}
            />
            <Bar dataKey="estimate" className="reach-bar" isAnimationActive={false}>
              <ErrorBar dataKey="interval" width={6} strokeWidth={2} direction="x" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted">
        {rows
          .map(
            (r) =>
              `${r.name}: ${number.format(r.estimate)} (${number.format(r.low)}–${number.format(r.high)})`,
          )
          .join('; ')}
      </figcaption>
    </figure>
  );
}
