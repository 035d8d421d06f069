import { type FormEvent, useState } from 'react';
import { Link, navigate } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useSourceMutations, useSources } from './sources.api';

export function SourcesPage() {
  const sources = useSources();
  const { create } = useSourceMutations();
  const [name, setName] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(name.trim(), {
      // A new source is only useful with its snippet: go straight to it.
      onSuccess: (source) => navigate(`/sources/${encodeURIComponent(source.id)}`),
    });
  };

  return (
    <div className="stack">
      <PageHeader
        title="Sources"
        description="Each source has a write key that the Segment and RudderStack SDKs send events with."
      />
      <form className="card row wrap" onSubmit={submit} aria-label="Create a source">
        <label className="field grow">
          <span>New source name</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={200}
            placeholder="Website, iOS app, billing service…"
          />
        </label>
        <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
          Create source
        </button>
      </form>
      <ErrorNote error={create.error} />
      <ErrorNote error={sources.error} />
      {sources.data && sources.data.length === 0 ? (
        <p className="notice">No sources yet: create one to get a write key.</p>
      ) : null}
      {sources.data && sources.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Event sources</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Write key</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <tr key={source.id}>
                  <td>
                    <Link to={`/sources/${encodeURIComponent(source.id)}`}>{source.name}</Link>
                  </td>
                  <td>
                    <span className={source.enabled ? 'badge ok' : 'badge off'}>
                      {source.enabled ? 'Enabled' : 'Disabled'}
                    </span>
                  </td>
                  <td>
                    <code>…{source.writeKey.slice(-6)}</code>
                  </td>
                  <td title={source.createdAt}>{formatTime(source.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {sources.isPending ? (
        <p className="muted" role="status">
          Loading sources…
        </p>
      ) : null}
    </div>
  );
}
