import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import '../../styles/charts.css';
import type { CurvePoint } from './dmp.api';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/**
 * Accuracy against reach: precision and recall of held-out seed members at each reach, beside
 * the precision a random pick would have. The caption repeats every point as text.
 */
export function LookalikeCurve({ curve, label }: { curve: CurvePoint[]; label: string }) {
  const data = curve.map((p) => ({
    reach: pct(p.reach),
    precision: p.precision,
    recall: p.recall,
    random: p.baselinePrecision,
  }));
  const caption = curve
    .map(
      (p) =>
        `reach ${pct(p.reach)}: precision ${pct(p.precision)} (random ${pct(p.baselinePrecision)}), recall ${pct(p.recall)}`,
    )
    .join('; ');
  return (
    <figure className="chart" aria-label={label}>
      <div aria-hidden="true" style={{ height: 260 }} className="line-figure">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="reach" />
            <YAxis tickFormatter={pct} width={56} />
            <Tooltip
              contentStyle={{
                background: 'var(--surface)',
                border: '1px solid var(--border)',
                color: 'var(--text)',
              }}
              formatter={(value) => pct(Number(value))}
            />
            <Legend />
            <Line
              dataKey="precision"
              name="precision"
              className="series-0"
              isAnimationActive={false}
            />
            <Line dataKey="recall" name="recall" className="series-1" isAnimationActive={false} />
            <Line
              dataKey="random"
              name="random precision"
              strokeDasharray="4 4"
              className="series-2"
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="visually-hidden">{caption}</figcaption>
    </figure>
  );
}
