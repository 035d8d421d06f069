import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import '../styles/charts.css';

export interface Series {
  key: string;
  label: string;
}

export interface BarFigureProps {
  /** Names the figure for screen readers and tests. */
  label: string;
  rows: { name: string; [metric: string]: string | number | null }[];
  series: Series[];
  format: (value: number) => string;
  height?: number;
  /** Replaces the generated caption (one entry per row) when rows are many, e.g. days. */
  caption?: string;
}

/**
 * Bars per group for one or more metrics. Recharts draws the picture; the caption repeats every
 * figure as text, so screen readers (and people who would rather read) get the same numbers.
 */
export function BarFigure({
  label,
  rows,
  series,
  format,
  height = 240,
  caption: given,
}: BarFigureProps) {
  const caption =
    given ??
    rows
      .map(
        (row) =>
          `${row.name}: ${series
            .map((s) => {
              const v = row[s.key];
              return `${s.label} ${typeof v === 'number' ? format(v) : '—'}`;
            })
            .join(', ')}`,
      )
      .join('; ');
  return (
    <figure className="chart" aria-label={label}>
      {rows.length === 0 ? (
        <p className="muted">Nothing to show yet.</p>
      ) : (
        <div aria-hidden="true" style={{ height }} className="bar-figure">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid vertical={false} strokeDasharray="3 3" />
              <XAxis dataKey="name" interval={0} />
              <YAxis tickFormatter={(v: number) => format(v)} width={72} />
              <Tooltip
                contentStyle={{
                  background: 'var(--surface)',
                  border: '1px solid var(--border)',
                  color: 'var(--text)',
                }}
                formatter={(value) => format(Number(value))}
              />
              {series.length > 1 ? <Legend /> : null}
              {series.map((s, i) => (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={s.label}
                  className={`series-${i}`}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <figcaption className="muted" data-testid={`caption-${label}`}>
        {caption}
      </figcaption>
    </figure>
  );
}
