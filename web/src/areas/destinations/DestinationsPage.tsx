import { type FormEvent, useState } from 'react';
import { Link } from '../../app/router';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useDestinationMutations, useDestinations } from './destinations.api';

export function DestinationsPage() {
  const destinations = useDestinations();
  const { create } = useDestinationMutations();
  const [form, setForm] = useState({ name: '', kind: 'events', url: '' });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: form.name.trim(), kind: form.kind, url: form.url.trim() },
      { onSuccess: () => setForm({ name: '', kind: form.kind, url: '' }) },
    );
  };

  return (
    <div className="stack">
      <PageHeader
        title="Destinations"
        description="Webhooks that receive matching events or audience entries and exits, signed with HMAC-SHA256."
      />
      <form className="card filters" onSubmit={submit} aria-label="Create a destination">
        <label className="field">
          <span>Destination name</span>
          <input
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            required
            maxLength={200}
          />
        </label>
        <label className="field">
          <span>Sends</span>
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
            <option value="events">events</option>
            <option value="audiences">audience entries and exits</option>
          </select>
        </label>
        <label className="field">
          <span>Webhook URL</span>
          <input
            type="url"
            value={form.url}
            onChange={(e) => setForm({ ...form, url: e.target.value })}
            required
            placeholder="https://hooks.example.com/triad"
          />
        </label>
        <div className="filters-actions row end">
          <button type="submit" className="primary" disabled={create.isPending}>
            Create destination
          </button>
        </div>
      </form>
      <ErrorNote error={create.error} />
      {create.data?.secret ? (
        <div className="notice ok stack" role="status">
          <p>
            <strong>{create.data.name}</strong> was created. Its signing secret is shown only now:
          </p>
          <div className="row wrap">
            <code className="secret">{create.data.secret}</code>
            <CopyButton text={create.data.secret} label="Copy the signing secret" />
          </div>
        </div>
      ) : null}
      <ErrorNote error={destinations.error} />
      {destinations.data && destinations.data.data.length === 0 ? (
        <p className="notice">No destinations yet.</p>
      ) : null}
      {destinations.data && destinations.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Destinations</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Sends</th>
                <th scope="col">URL</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {destinations.data.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/destinations/${encodeURIComponent(d.id)}`}>{d.name}</Link>
                  </td>
                  <td>{d.kind}</td>
                  <td className="wrap-text">
                    <code>{d.url}</code>
                  </td>
                  <td>
                    <span className={d.enabled ? 'badge ok' : 'badge off'}>
                      {d.enabled ? 'Enabled' : 'Disabled'}
                    </span>
                  </td>
                  <td>{formatTime(d.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
