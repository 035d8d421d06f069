import { type FormEvent, useState } from 'react';
import { BarFigure } from '../../components/BarFigure';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import '../../styles/areas.css';
import { useFunnel, useRetention, useVolume, type Volume } from './insights.api';

const number = new Intl.NumberFormat();
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const formatNumber = (v: number) => number.format(v);
const weekNumbers = [0, 1, 2, 3, 4, 5, 6, 7];
const stepNumbers = [1, 2, 3];
const bucketName = (iso: string, interval: Volume['interval']) =>
  interval === 'hour' ? iso.slice(5, 16).replace('T', ' ') : iso.slice(5, 10);

/** Event volume over time, a funnel and weekly retention cohorts, from `/api/v1/insights`. */
export function InsightsPage() {
  const [interval, setInterval] = useState<Volume['interval']>('day');
  const [event, setEvent] = useState('');
  const volume = useVolume(interval, event);
  const [draft, setDraft] = useState(['', '', '']);
  const [steps, setSteps] = useState<string[]>([]);
  const [windowHours, setWindowHours] = useState(168);
  const funnel = useFunnel(steps, windowHours);
  const retention = useRetention(8);
  // Weeks in which nobody was first seen carry no rates: left out of the table.
  const cohorts = (retention.data?.cohorts ?? []).filter((c) => c.size > 0);
  const eventNames = (volume.data?.series ?? []).map((s) => s.name);

  const runFunnel = (e: FormEvent) => {
    e.preventDefault();
    setSteps(draft.map((s) => s.trim()));
  };

  return (
    <div className="stack">
      <PageHeader title="Insights" description="Event trends, funnels and retention cohorts." />
      <section className="card stack" aria-labelledby="volume-title">
        <h2 id="volume-title">Event volume</h2>
        <div className="row wrap">
          <label>
            Interval{' '}
            <select
              value={interval}
              onChange={(e) => setInterval(e.target.value as Volume['interval'])}
            >
              <option value="hour">hour</option>
              <option value="day">day</option>
              <option value="week">week</option>
            </select>
          </label>
          <label>
            Event{' '}
            <select value={event} onChange={(e) => setEvent(e.target.value)}>
              <option value="">every event</option>
              {[...new Set([...eventNames, ...(event ? [event] : [])])].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorNote error={volume.error} />
        {volume.data ? (
          <BarFigure
            label="Event volume"
            rows={volume.data.buckets.map((b, i) => ({
              name: bucketName(b, volume.data.interval),
              events: volume.data.totals[i] ?? 0,
            }))}
            series={[{ key: 'events', label: 'events' }]}
            format={formatNumber}
            caption={`${number.format(volume.data.total)} events from ${volume.data.from.slice(0, 10)} to ${volume.data.to.slice(0, 10)}; ${volume.data.series
              .slice(0, 5)
              .map((s) => `${s.name} ${number.format(s.total)}`)
              .join(', ')}`}
          />
        ) : null}
      </section>

      <section className="card stack" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Funnel</h2>
        <form className="row wrap" onSubmit={runFunnel} aria-label="Funnel steps">
          {stepNumbers.map((n) => (
            <label key={n}>
              Step {n}{' '}
              <input
                value={draft[n - 1] ?? ''}
                list="insight-events"
                onChange={(e) => setDraft(draft.map((v, j) => (j === n - 1 ? e.target.value : v)))}
              />
            </label>
          ))}
          <label>
            Within hours{' '}
            <input
              type="number"
              min={1}
              max={8784}
              value={windowHours}
              onChange={(e) => setWindowHours(Number(e.target.value) || 168)}
            />
          </label>
          <button type="submit">Show funnel</button>
          <datalist id="insight-events">
            {eventNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </form>
        <ErrorNote error={funnel.error} />
        {funnel.data ? (
          <BarFigure
            label="Funnel"
            rows={funnel.data.steps.map((s, i) => ({
              name: `${i + 1}. ${s.event}`,
              profiles: s.count,
            }))}
            series={[{ key: 'profiles', label: 'profiles' }]}
            format={formatNumber}
            caption={funnel.data.steps
              .map(
                (s, i) =>
                  `${i + 1}. ${s.event}: ${number.format(s.count)} (${percent.format(s.conversion)} of step 1${i > 0 ? `, ${percent.format(s.fromPrevious)} of the step before` : ''})`,
              )
              .join('; ')}
          />
        ) : (
          <p className="muted">Name two or three events, in order.</p>
        )}
      </section>

      <section className="card stack" aria-labelledby="retention-title">
        <h2 id="retention-title">Retention by first-seen week</h2>
        <ErrorNote error={retention.error} />
        {retention.data && cohorts.length === 0 ? (
          <p className="muted">No profile was first seen in the last 8 weeks.</p>
        ) : null}
        {cohorts.length > 0 ? (
          <div className="table-wrap">
            <table className="heatmap" data-testid="retention">
              <caption className="visually-hidden">
                Share of each week's new profiles active in the following weeks
              </caption>
              <thead>
                <tr>
                  <th scope="col">Cohort (week of)</th>
                  <th scope="col" className="num">
                    Profiles
                  </th>
                  {weekNumbers.map((k) => (
                    <th key={k} scope="col" className="num">
                      Week {k}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cohorts.map((c) => (
                  <tr key={c.cohort}>
                    <th scope="row">{c.cohort}</th>
                    <td className="num">{number.format(c.size)}</td>
                    {weekNumbers.map((k) => {
                      const rate = c.rates[k];
                      return rate === undefined ? (
                        <td key={k} />
                      ) : (
                        <td
                          key={k}
                          className="heat"
                          style={{ '--heat': rate } as React.CSSProperties}
                          title={`${number.format(c.retained[k] ?? 0)} profiles`}
                        >
                          {percent.format(rate)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
  );
}
