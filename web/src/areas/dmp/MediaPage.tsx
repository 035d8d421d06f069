import { Fragment, useState } from 'react';
import { BarFigure } from '../../components/BarFigure';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { type MediaFigures, number, useMediaReport } from './dmp.api';

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)}%`);
const money = (micros: number | null) =>
  micros === null ? '—' : (micros / 1_000_000).toLocaleString('en', { maximumFractionDigits: 2 });
const count = (v: number | null) => (v === null ? '—' : number.format(v));
const ratio = (v: number | null) => (v === null ? '—' : v.toFixed(2));

function Cells({ f }: { f: MediaFigures }) {
  if (f.suppressed) {
    return (
      <td colSpan={8} className="muted">
        under the minimum audience size
      </td>
    );
  }
  return (
    <>
      <td className="num">{count(f.reach)}</td>
      <td className="num">{ratio(f.frequency)}</td>
      <td className="num">{count(f.impressions)}</td>
      <td className="num">{pct(f.ctr)}</td>
      <td className="num">{count(f.conversions)}</td>
      <td className="num">{pct(f.conversionRate)}</td>
      <td className="num">{money(f.cpaMicros)}</td>
      <td className="num">{ratio(f.roas)}</td>
    </>
  );
}

const headings = [
  'Reach',
  'Frequency',
  'Impressions',
  'CTR',
  'Conversions',
  'Conv. rate',
  'CPA',
  'ROAS',
];

/**
 * Campaign performance per targeted segment: which audiences pay off. Figures under the minimum
 * audience size are withheld by the API and shown as such.
 */
export function MediaPage() {
  const [days, setDays] = useState(30);
  const from = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
  const report = useMediaReport({ from });
  const totals = report.data?.totals ?? [];
  const shownTotals = totals.filter((t) => !t.suppressed);
  return (
    <div className="stack">
      <PageHeader
        title="Campaign performance"
        description="Impressions, clicks and conversions from ad servers, attributed to the segments that were targeted."
      />
      <label>
        Period{' '}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[7, 30, 90].map((d) => (
            <option key={d} value={d}>
              last {d} days
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={report.error} />
      {report.data && totals.length === 0 ? (
        <p className="notice">No ad-server event in this period.</p>
      ) : null}
      {shownTotals.length > 0 ? (
        <section className="card stack" aria-labelledby="media-cpa">
          <h2 id="media-cpa">Conversion rate and click rate per segment</h2>
          <BarFigure
            label="Conversion rate and click rate per segment"
            rows={shownTotals.map((t) => ({
              name: t.segmentName ?? t.segmentId,
              conversion: t.conversionRate,
              click: t.ctr,
            }))}
            series={[
              { key: 'conversion', label: 'conversion rate' },
              { key: 'click', label: 'click rate' },
            ]}
            format={(v) => `${(100 * v).toFixed(1)}%`}
          />
        </section>
      ) : null}
      {totals.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption>Per segment and campaign</caption>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Campaign</th>
                {headings.map((h) => (
                  <th key={h} scope="col" className="num">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <Fragment key={t.segmentId}>
                  <tr className="total-row" data-segment={t.segmentId}>
                    <th scope="row">{t.segmentName ?? t.segmentId}</th>
                    <td>
                      all ({t.campaigns}
                      {t.suppressedCampaigns ? `, ${t.suppressedCampaigns} withheld` : ''})
                    </td>
                    <Cells f={t} />
                  </tr>
                  {(report.data?.rows ?? [])
                    .filter((r) => r.segmentId === t.segmentId)
                    .map((r) => (
                      <tr key={`${r.segmentId}/${r.campaign}`} data-campaign={r.campaign}>
                        <td />
                        <td>{r.campaign}</td>
                        <Cells f={r} />
                      </tr>
                    ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.data ? (
        <p className="muted">
          Minimum audience size {report.data.minSegmentSize}; money in account currency units.
        </p>
      ) : null}
    </div>
  );
}
