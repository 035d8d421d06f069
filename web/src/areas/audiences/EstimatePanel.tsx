import { ErrorNote } from '../../components/ErrorNote';
import type { Preview } from './audiences.api';

const number = new Intl.NumberFormat();

/**
 * The live size estimate: the figure, its interval drawn as a bar against all profiles, and the
 * definition in text form as the server read it.
 */
export function EstimatePanel({
  preview,
  error,
  pending,
  empty,
}: {
  preview: Preview | undefined;
  error: unknown;
  pending: boolean;
  empty: boolean;
}) {
  const total = Math.max(preview?.totalProfiles ?? 0, 1);
  const pct = (n: number) => `${Math.min(100, (n / total) * 100)}%`;
  return (
    <section className="card stack estimate" aria-labelledby="estimate-title" aria-busy={pending}>
      <h2 id="estimate-title">Estimated size</h2>
      {empty ? (
        <p className="muted">Add a complete condition to see how many profiles match.</p>
      ) : null}
      <ErrorNote error={error} />
      {preview && !empty ? (
        <>
          <p className="estimate-figure" role="status" data-testid="estimate">
            {preview.exact ? '' : '≈ '}
            {number.format(preview.estimate)}{' '}
            <span className="muted">
              profile{preview.estimate === 1 ? '' : 's'} of {number.format(preview.totalProfiles)}
            </span>
          </p>
          <div
            className="range-bar"
            role="img"
            aria-label={`Between ${preview.low} and ${preview.high} profiles`}
          >
            <span
              className="range-interval"
              style={{
                left: pct(preview.low),
                width: `calc(${pct(preview.high)} - ${pct(preview.low)})`,
              }}
            />
            <span className="range-point" style={{ left: pct(preview.estimate) }} />
          </div>
          <p className="muted">
            {preview.exact
              ? `Exact: every profile was evaluated (${preview.tookMs} ms).`
              : `95% interval ${number.format(preview.low)}–${number.format(preview.high)}, from a sample of ${number.format(preview.sampled)} profiles (${preview.tookMs} ms).`}
          </p>
          <pre className="code" data-testid="definition-text">
            {preview.text}
          </pre>
        </>
      ) : null}
      {pending && !preview ? <p className="muted">Estimating…</p> : null}
    </section>
  );
}
