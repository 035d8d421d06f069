import { useState } from 'react';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { number, type Reach, useReaches, useSegmentReport } from './dmp.api';
import { OverlapHeatmap } from './OverlapHeatmap';
import { ReachChart } from './ReachChart';

const maxSelected = 6;

export function SegmentsPage() {
  const report = useSegmentReport();
  const segments = report.data?.data ?? [];
  const visible = segments.filter((s) => !s.suppressed);
  const reaches = useReaches(visible.map((s) => s.segmentId));
  const reach = new Map<string, Reach | undefined>(
    visible.map((s, i) => [s.segmentId, reaches[i]?.data]),
  );
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected((current) =>
      current.includes(id)
        ? current.filter((x) => x !== id)
        : current.length < maxSelected
          ? [...current, id]
          : current,
    );
  const rows = visible.flatMap((s) => {
    const r = reach.get(s.segmentId)?.reach;
    return r ? [{ name: s.name, estimate: r.estimate, low: r.low, high: r.high }] : [];
  });

  return (
    <div className="stack">
      <PageHeader
        title="Segments"
        description={
          report.data
            ? `Reach is a HyperLogLog estimate with its 95% confidence interval; segments under ${report.data.minSegmentSize} IDs are not shown.`
            : undefined
        }
      />
      <ErrorNote error={report.error} />
      {report.data && segments.length === 0 ? <p className="notice">No segments yet.</p> : null}
      {segments.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Segments and their reach</caption>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Segment</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col" className="num">
                  Reach
                </th>
                <th scope="col">95% interval</th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => {
                const r = reach.get(s.segmentId)?.reach;
                return (
                  <tr key={s.segmentId}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Compare ${s.name}`}
                        checked={selected.includes(s.segmentId)}
                        disabled={
                          s.suppressed ||
                          (!selected.includes(s.segmentId) && selected.length >= maxSelected)
                        }
                        onChange={() => toggle(s.segmentId)}
                      />
                    </td>
                    <td>
                      <Link to={`/advertising/segments/${encodeURIComponent(s.segmentId)}`}>
                        {s.name}
                      </Link>
                    </td>
                    <td className="num">
                      {s.suppressed ? 'too small' : number.format(s.count ?? 0)}
                    </td>
                    <td className="num">{r ? number.format(r.estimate) : '—'}</td>
                    <td>{r ? `${number.format(r.low)}–${number.format(r.high)}` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {rows.length > 0 ? (
        <section className="card stack" aria-labelledby="reach-title">
          <h2 id="reach-title">Reach with confidence intervals</h2>
          <ReachChart rows={rows} label="Reach of each segment with its confidence interval" />
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="overlap-title">
        <h2 id="overlap-title">Overlap</h2>
        {selected.length < 2 ? (
          <p className="muted">
            Tick two to {maxSelected} segments above to see how much they overlap.
          </p>
        ) : (
          <OverlapHeatmap
            segments={selected.flatMap((id) => segments.filter((s) => s.segmentId === id))}
            reach={reach}
          />
        )}
      </section>
    </div>
  );
}
