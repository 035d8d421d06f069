import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import {
  identityTypes,
  type RequestType,
  requestTypes,
  useFileRequest,
  usePrivacyRequests,
} from './privacy.api';

const describe: Record<RequestType, string> = {
  erase: 'Erase: delete the person from every store and suppress their identifiers',
  access: 'Access: everything Triad holds about the person, as one document',
  suppress: 'Suppress: stop collecting their identifiers, delete nothing',
};

/** Files data subject requests and lists the recent ones with their status. */
export function PrivacyRequestsPage() {
  const [type, setType] = useState<RequestType>('erase');
  const [identityType, setIdentityType] = useState<string>('email');
  const [value, setValue] = useState('');
  const file = useFileRequest();
  const recent = usePrivacyRequests();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    file.mutate(
      { type, identity: { type: identityType, value: value.trim() } },
      { onSuccess: (request) => navigate(`/privacy/requests/${encodeURIComponent(request.id)}`) },
    );
  };

  const requests = recent.data?.data ?? [];

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
        {recent.data && requests.length === 0 ? (
          <p className="muted">No request filed yet.</p>
        ) : null}
        {requests.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Recent privacy requests</caption>
              <thead>
                <tr>
                  <th scope="col">Request</th>
                  <th scope="col">Type</th>
                  <th scope="col">Identifier type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Receipts</th>
                  <th scope="col">Filed</th>
                  <th scope="col">Completed</th>
                </tr>
              </thead>
              <tbody>
                {requests.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/privacy/requests/${encodeURIComponent(r.id)}`}>{r.id}</Link>
                    </td>
                    <td>{r.type}</td>
                    <td>{r.identityType}</td>
                    <td>{r.status}</td>
                    <td>
                      {r.receipts.completed} done
                      {r.receipts.pending ? `, ${r.receipts.pending} pending` : ''}
                      {r.receipts.failed ? `, ${r.receipts.failed} failed` : ''}
                    </td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>{r.completedAt ? formatTime(r.completedAt) : 'not yet'}</td>
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
