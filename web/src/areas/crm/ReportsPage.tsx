import { useState } from 'react';
import { BarFigure } from '../../components/BarFigure';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { formatAmount } from './crm.api';
import { type Grouping, metric, type ReportFilters, rowName, useReport } from './reports.api';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const days = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const formatPercent = (v: number) => percent.format(v);
const formatDays = (v: number) => `${days.format(v)} d`;
const groupings: { value: Grouping; label: string }[] = [
  { value: 'pipeline', label: 'pipeline' },
  { value: 'owner', label: 'owner' },
  { value: 'team', label: 'team' },
  { value: 'month', label: 'month of close date' },
];

/**
 * The sales dashboard: open pipeline by stage, the weighted forecast by month, win rate and
 * sales cycle length, each from `/api/v1/crm/reports/...`, as charts with the totals on top.
 */
export function ReportsPage() {
  const [groupBy, setGroupBy] = useState<Grouping>('pipeline');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const period: ReportFilters = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  const pipeline = useReport('pipeline-value', period);
  const forecast = useReport('forecast', period);
  const winRate = useReport('win-rate', { ...period, groupBy });
  const cycle = useReport('sales-cycle', { ...period, groupBy });
  const error = pipeline.error ?? forecast.error ?? winRate.error ?? cycle.error;

  const totals = {
    open: metric(pipeline.data?.totals, 'amount'),
    weighted: metric(forecast.data?.totals, 'weightedAmount'),
    winRate: metric(winRate.data?.totals, 'winRateByCount'),
    cycle: metric(cycle.data?.totals, 'averageDays'),
  };
  const show = (v: number | null, f: (n: number) => string) => (v === null ? '—' : f(v));

  return (
    <div className="stack">
      <PageHeader
        title="Sales reports"
        description="Deals you may see; the period filters on each deal's close date."
      />
      <form className="row wrap" aria-label="Report filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Closed from <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          to <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Win rate and cycle by{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as Grouping)}>
            {groupings.map((g) => (
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorNote error={error} />
      <dl className="kpis" aria-label="Totals">
        <div>
          <dt>Open pipeline</dt>
          <dd data-testid="kpi-open">{show(totals.open, formatAmount)}</dd>
        </div>
        <div>
          <dt>Weighted forecast</dt>
          <dd data-testid="kpi-weighted">{show(totals.weighted, formatAmount)}</dd>
        </div>
        <div>
          <dt>Win rate</dt>
          <dd data-testid="kpi-win-rate">{show(totals.winRate, formatPercent)}</dd>
        </div>
        <div>
          <dt>Average sales cycle</dt>
          <dd data-testid="kpi-cycle">{show(totals.cycle, formatDays)}</dd>
        </div>
      </dl>
      <div className="chart-grid">
        <section className="card stack" aria-labelledby="by-stage-title">
          <h2 id="by-stage-title">Open pipeline by stage</h2>
          <BarFigure
            label="Open pipeline by stage"
            rows={(pipeline.data?.rows ?? []).map((r) => ({
              name: rowName('stage', r),
              amount: metric(r, 'amount'),
              count: metric(r, 'count'),
            }))}
            series={[{ key: 'amount', label: 'amount' }]}
            format={formatAmount}
          />
        </section>
        <section className="card stack" aria-labelledby="forecast-title">
          <h2 id="forecast-title">Weighted forecast by month</h2>
          <BarFigure
            label="Weighted forecast by month"
            rows={(forecast.data?.rows ?? []).map((r) => ({
              name: rowName('month', r),
              amount: metric(r, 'amount'),
              weightedAmount: metric(r, 'weightedAmount'),
            }))}
            series={[
              { key: 'amount', label: 'amount' },
              { key: 'weightedAmount', label: 'weighted' },
            ]}
            format={formatAmount}
          />
        </section>
        <section className="card stack" aria-labelledby="win-rate-title">
          <h2 id="win-rate-title">Win rate</h2>
          <BarFigure
            label="Win rate"
            rows={(winRate.data?.rows ?? []).map((r) => ({
              name: rowName(groupBy, r),
              byCount: metric(r, 'winRateByCount'),
              byValue: metric(r, 'winRateByValue'),
            }))}
            series={[
              { key: 'byCount', label: 'by count' },
              { key: 'byValue', label: 'by value' },
            ]}
            format={formatPercent}
          />
        </section>
        <section className="card stack" aria-labelledby="cycle-title">
          <h2 id="cycle-title">Sales cycle length</h2>
          <BarFigure
            label="Sales cycle length"
            rows={(cycle.data?.rows ?? []).map((r) => ({
              name: rowName(groupBy, r),
              averageDays: metric(r, 'averageDays'),
              medianDays: metric(r, 'medianDays'),
            }))}
            series={[
              { key: 'averageDays', label: 'average' },
              { key: 'medianDays', label: 'median' },
            ]}
            format={formatDays}
          />
        </section>
      </div>
    </div>
  );
}
