import { useState } from 'react';
import { BarFigure } from '../../components/BarFigure';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { useConsentStats } from './privacy.api';

const count = (v: number) => v.toLocaleString('en');
const percent = (part: number, whole: number) =>
  whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
const windows = [7, 30, 90] as const;

/**
 * Consent statistics for the privacy officer: the current decision per person for each purpose
 * and channel, and how many decisions were granted and withdrawn per day.
 */
export function ConsentStatsPage() {
  const [days, setDays] = useState<number>(30);
  const stats = useConsentStats(days);
  const data = stats.data;
  const label = (r: { purpose: string; channel: string }) =>
    r.channel === '*' ? r.purpose : `${r.purpose} (${r.channel})`;
  return (
    <div className="stack">
      <PageHeader
        title="Consent"
        description="Current consent per purpose and channel (one decision per person: the newest across their identifiers), and decisions over time."
      />
      <ErrorNote error={stats.error} />
      {data ? (
        <>
          <section className="card stack" aria-labelledby="consent-current">
            <h2 id="consent-current">Current decisions</h2>
            <p>
              <strong>{count(data.peopleWithDecisions)}</strong> people have recorded at least one
              decision; <strong>{count(data.profiles)}</strong> profiles in all (a profile with no
              decision has no consent).
            </p>
            <BarFigure
              label="Granted and denied per purpose"
              rows={data.current.map((r) => ({
                name: label(r),
                granted: r.granted,
                denied: r.denied,
              }))}
              series={[
                { key: 'granted', label: 'granted' },
                { key: 'denied', label: 'denied' },
              ]}
              format={count}
            />
            {data.current.length > 0 ? (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Current decisions per purpose</caption>
                  <thead>
                    <tr>
                      <th scope="col">Purpose</th>
                      <th scope="col">Channel</th>
                      <th scope="col" className="num">
                        Granted
                      </th>
                      <th scope="col" className="num">
                        Denied
                      </th>
                      <th scope="col" className="num">
                        Opt-in rate
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.current.map((r) => (
                      <tr key={`${r.purpose}/${r.channel}`}>
                        <td>{r.purpose}</td>
                        <td>{r.channel === '*' ? 'every channel' : r.channel}</td>
                        <td className="num">{count(r.granted)}</td>
                        <td className="num">{count(r.denied)}</td>
                        <td className="num">{percent(r.granted, r.granted + r.denied)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            {data.sources.length > 0 ? (
              <p className="muted">
                Sources of current decisions:{' '}
                {data.sources.map((s) => `${s.source} ${count(s.decisions)}`).join(', ')}
              </p>
            ) : null}
          </section>
          <section className="card stack" aria-labelledby="consent-daily">
            <div className="row wrap">
              <h2 id="consent-daily" className="grow">
                Decisions per day
              </h2>
              <label>
                Window{' '}
                <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
                  {windows.map((d) => (
                    <option key={d} value={d}>
                      last {d} days
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <BarFigure
              label="Consent granted and withdrawn per day"
              rows={data.daily.map((d) => ({
                name: d.day.slice(5),
                granted: d.granted,
                withdrawn: d.withdrawn,
              }))}
              series={[
                { key: 'granted', label: 'granted' },
                { key: 'withdrawn', label: 'withdrawn' },
              ]}
              format={count}
              caption={`${data.daily.reduce((n, d) => n + d.granted, 0)} granted and ${data.daily.reduce((n, d) => n + d.withdrawn, 0)} withdrawn over the last ${days} days`}
            />
          </section>
        </>
      ) : null}
    </div>
  );
}
