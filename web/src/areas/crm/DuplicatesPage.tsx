import { useState } from 'react';
import { useRole } from '../../api/role';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useDuplicateMutations, useDuplicates } from './crm.api';

const statuses = ['open', 'merged', 'dismissed'] as const;

/**
 * Profiles the person matcher thinks are one person, with the evidence field by field. Merging
 * links them through the event log (reversible by unmerge); dismissing hides the suggestion.
 */
export function DuplicatesPage() {
  const role = useRole();
  const [status, setStatus] = useState<(typeof statuses)[number]>('open');
  const duplicates = useDuplicates(status);
  const { merge, dismiss, scan } = useDuplicateMutations();
  const mayScan = role === 'admin' || role === 'marketer';
  const profileLink = (id: string) =>
    mayScan ? <Link to={`/profiles/${encodeURIComponent(id)}`}>{id}</Link> : <code>{id}</code>;

  return (
    <div className="stack">
      <PageHeader
        title="Duplicates"
        description="Profiles that look like the same person but share no identifier."
        actions={
          mayScan ? (
            <button type="button" disabled={scan.isPending} onClick={() => scan.mutate()}>
              Scan for duplicates
            </button>
          ) : null
        }
      />
      {scan.data ? (
        <p className="notice ok" role="status">
          Scanned {scan.data.profiles} profiles: {scan.data.linked} linked, {scan.data.suggested}{' '}
          suggested.
        </p>
      ) : null}
      <fieldset className="row wrap segmented">
        <legend className="visually-hidden">Suggestion status</legend>
        {statuses.map((s) => (
          <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
            {s}
          </button>
        ))}
      </fieldset>
      <ErrorNote error={duplicates.error ?? merge.error ?? dismiss.error ?? scan.error} />
      {duplicates.data && duplicates.data.data.length === 0 ? (
        <p className="notice">No {status} suggestions.</p>
      ) : null}
      <ul className="stack plain-list">
        {duplicates.data?.data.map((d) => (
          <li key={d.id} className="card stack" data-testid="duplicate">
            <div className="row wrap between">
              <p>
                {profileLink(d.profileA)} and {profileLink(d.profileB)}
              </p>
              <span className="badge">{Math.round(d.probability * 100)}% likely the same</span>
            </div>
            <meter
              min={0}
              max={1}
              low={0.5}
              high={0.9}
              optimum={1}
              value={d.probability}
              aria-label="Match probability"
            />
            <table>
              <caption className="visually-hidden">Field comparison</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Agreement</th>
                  <th scope="col" className="num">
                    Weight
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.fields.map((f) => (
                  <tr key={f.field}>
                    <td>{f.field}</td>
                    <td>{f.level}</td>
                    <td className={`num ${f.weight >= 0 ? 'pos' : 'neg'}`}>
                      {f.weight.toFixed(2)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">Suggested {formatTime(d.createdAt)}</p>
            {d.status === 'open' ? (
              <div className="row end">
                <button
                  type="button"
                  disabled={dismiss.isPending}
                  onClick={() => dismiss.mutate(d.id)}
                >
                  Dismiss
                </button>
                <button
                  type="button"
                  className="primary"
                  disabled={merge.isPending}
                  onClick={() => merge.mutate(d.id)}
                >
                  Merge
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
