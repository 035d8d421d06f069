import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import {
  identityTypes,
  type RequestType,
  requestTypes,
  useAudit,
  useFileRequest,
} from './privacy.api';

const describe: Record<RequestType, string> = {
  erase: 'Erase: delete the person from every store and suppress their identifiers',
  access: 'Access: everything Triad holds about the person, as one document',
  suppress: 'Suppress: stop collecting their identifiers, delete nothing',
};

/**
 * Files data subject requests and lists the recent ones. The API has no list of requests; the
 * audit log records each filing and completion (`privacy/requests/{id}`), so the list is read
 * from there.
 */
export function PrivacyRequestsPage() {
  const [type, setType] = useState<RequestType>('erase');
  const [identityType, setIdentityType] = useState<string>('email');
  const [value, setValue] = useState('');
  const file = useFileRequest();
  const recent = useAudit({ resource: 'privacy/requests/*', limit: 100 });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    file.mutate(
      { type, identity: { type: identityType, value: value.trim() } },
      { onSuccess: (request) => navigate(`/privacy/requests/${encodeURIComponent(request.id)}`) },
    );
  };

  const requests = new Map<string, { id: string; type: string; filed?: string; done?: string }>();
  for (const entry of recent.data?.data ?? []) {
    const id = entry.resource.split('/').at(-1) ?? '';
    const row = requests.get(id) ?? { id, type: entry.action.split('.')[1] ?? '' };
    if (entry.action.endsWith('.completed')) row.done = entry.at;
    else row.filed = entry.at;
    requests.set(id, row);
  }

  return (
    <div className="stack">
      <PageHeader
        title="Privacy requests"
        description="Data subject requests: access, erasure and suppression, with a receipt per store."
      />
      <form className="card stack" onSubmit={submit} aria-label="File a privacy request">
        <h2>File a request</h2>
        <fieldset className="stack">
          <legend>Request</legend>
          {requestTypes.map((t) => (
            <label key={t}>
              <input
                type="radio"
                name="request-type"
                value={t}
                checked={type === t}
                onChange={() => setType(t)}
              />{' '}
              {describe[t]}
            </label>
          ))}
        </fieldset>
        <div className="row wrap">
          <label>
            Identifier type{' '}
            <select value={identityType} onChange={(e) => setIdentityType(e.target.value)}>
              {identityTypes.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label className="grow">
            Identifier{' '}
            <input
              value={value}
              required
              maxLength={500}
              onChange={(e) => setValue(e.target.value)}
              autoComplete="off"
            />
          </label>
          <button type="submit" className="primary" disabled={file.isPending || !value.trim()}>
            File request
          </button>
        </div>
        <ErrorNote error={file.error} />
      </form>
      <section className="card stack" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent requests</h2>
        <ErrorNote error={recent.error} />
        {recent.data && requests.size === 0 ? <p className="muted">No request filed yet.</p> : null}
        {requests.size > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Recent privacy requests</caption>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Type</th>
                  <th scope="col">Filed</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {[...requests.values()].map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/privacy/requests/${encodeURIComponent(r.id)}`}>{r.id}</Link>
                    </td>
                    <td>{r.type}</td>
                    <td>{r.filed ? formatTime(r.filed) : '—'}</td>
                    <td>{r.done ? formatTime(r.done) : 'not yet'}</td>
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
