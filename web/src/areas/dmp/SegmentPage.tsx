import { useState } from 'react';
import { useRole } from '../../api/role';
import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { number, useReach, useSegment, useSegmentReport } from './dmp.api';
import { ReachChart } from './ReachChart';

const levels = [0.8, 0.9, 0.95, 0.99] as const;

/** One segment's reach: the estimate and its interval at a chosen confidence level. */
export function SegmentPage({ params }: PageProps) {
  const id = params.id ?? '';
  const role = useRole();
  const [confidence, setConfidence] = useState<number>(0.95);
  const reach = useReach(id, confidence);
  const report = useSegmentReport();
  // Rules are for the people who manage segments; analysts see the figures only.
  const segment = useSegment(id, role === 'advertiser' || role === 'admin');
  const name = segment.data?.name ?? report.data?.data.find((s) => s.segmentId === id)?.name ?? id;
  const r = reach.data?.reach;

  return (
    <div className="stack">
      <p>
        <Link to="/advertising/segments">← All segments</Link>
      </p>
      <PageHeader title={name} description={segment.data?.description || undefined} />
      {segment.data ? (
        <section className="card stack" aria-labelledby="rule-title">
          <h2 id="rule-title">Rule</h2>
          <pre className="code">{segment.data.expression}</pre>
          {segment.data.taxonomyIds.length > 0 ? (
            <p className="muted">Taxonomy IDs: {segment.data.taxonomyIds.join(', ')}</p>
          ) : null}
        </section>
      ) : null}
      <section className="card stack" aria-labelledby="reach-title">
        <div className="row wrap between">
          <h2 id="reach-title">Reach</h2>
          <label className="field">
            <span>Confidence level</span>
            <select value={confidence} onChange={(e) => setConfidence(Number(e.target.value))}>
              {levels.map((l) => (
                <option key={l} value={l}>
                  {Math.round(l * 100)}%
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorNote error={reach.error} />
        {reach.data?.suppressed ? (
          <p className="notice">This segment is smaller than the minimum size that may be shown.</p>
        ) : null}
        {r ? (
          <>
            <dl className="facts" data-testid="reach">
              <dt>Estimate</dt>
              <dd>{number.format(r.estimate)}</dd>
              <dt>{Math.round(r.confidence * 100)}% interval</dt>
              <dd>
                {number.format(r.low)} – {number.format(r.high)}
              </dd>
              <dt>Method</dt>
              <dd>{r.exact ? 'exact count (small enough to count)' : 'HyperLogLog estimate'}</dd>
            </dl>
            <ReachChart
              rows={[{ name, estimate: r.estimate, low: r.low, high: r.high }]}
              label={`Reach of ${name} with its confidence interval`}
            />
          </>
        ) : null}
      </section>
    </div>
  );
}
