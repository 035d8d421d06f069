import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import {
  type Delivery,
  type Destination,
  type ExportRun,
  type Mapping,
  useSegmentReport,
} from './dmp.api';

const base = '/api/v1/dmp/destinations';
const enc = encodeURIComponent;
const idTypes = ['dmp_id', 'ifa', 'partner_uid'] as const;
const labelChoices = ['pii_linked', 'offsite_targeting', 'onsite_targeting'] as const;

function useDestination(id: string) {
  const client = useQueryClient();
  const key = ['dmp', 'destinations', id];
  const refresh = () => client.invalidateQueries({ queryKey: key });
  return {
    mappings: useQuery({
      queryKey: [...key, 'mappings'],
      queryFn: ({ signal }) => api<{ data: Mapping[] }>(`${base}/${enc(id)}/mappings`, { signal }),
    }),
    runs: useQuery({
      queryKey: [...key, 'runs'],
      queryFn: ({ signal }) => api<Page<ExportRun>>(`${base}/${enc(id)}/exports`, { signal }),
    }),
    deliveries: useQuery({
      queryKey: [...key, 'deliveries'],
      queryFn: ({ signal }) => api<Page<Delivery>>(`${base}/${enc(id)}/deliveries`, { signal }),
    }),
    map: useMutation({
      mutationFn: (body: { segmentId: string; key: string }) =>
        api<Mapping>(`${base}/${enc(id)}/mappings`, { method: 'POST', body }),
      onSuccess: refresh,
    }),
    run: useMutation({
      mutationFn: (mode: 'full' | 'delta') =>
        api<ExportRun>(`${base}/${enc(id)}/exports`, { method: 'POST', body: { mode } }),
      onSuccess: refresh,
    }),
    push: useMutation({
      mutationFn: () => api<unknown>(`${base}/${enc(id)}/push`, { method: 'POST' }),
      onSuccess: refresh,
    }),
  };
}

function DestinationDetail({ destination }: { destination: Destination }) {
  const d = useDestination(destination.id);
  const segments = useSegmentReport();
  const [segmentId, setSegmentId] = useState('');
  const [key, setKey] = useState('');
  const segmentName = new Map((segments.data?.data ?? []).map((s) => [s.segmentId, s.name]));
  const mappings = d.mappings.data?.data ?? [];
  const addMapping = (e: FormEvent) => {
    e.preventDefault();
    d.map.mutate({ segmentId, key: key.trim() }, { onSuccess: () => setKey('') });
  };
  return (
    <section className="card stack" aria-labelledby="destination-title">
      <h2 id="destination-title">{destination.name}</h2>
      <p className="muted">
        {destination.kind === 'push' ? `Pushes to ${destination.url}` : 'Batch files'} of{' '}
        {destination.idType} IDs; minimum audience {destination.minSegmentSize}; labels:{' '}
        {destination.labels.length ? destination.labels.join(', ') : 'none'}.
      </p>
      <h3>Segments sent</h3>
      {mappings.length === 0 ? <p className="muted">No segment mapped yet.</p> : null}
      {mappings.length > 0 ? (
        <ul className="stack" aria-label="Mapped segments">
          {mappings.map((m) => (
            <li key={m.id} data-status={m.status}>
              {segmentName.get(m.segmentId) ?? m.segmentId} as <code>{m.key}</code> — {m.status}
              {m.reason ? ` (${m.reason})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      <form className="row wrap" onSubmit={addMapping} aria-label="Map a segment">
        <label>
          Segment{' '}
          <select value={segmentId} required onChange={(e) => setSegmentId(e.target.value)}>
            <option value="">choose…</option>
            {(segments.data?.data ?? []).map((s) => (
              <option key={s.segmentId} value={s.segmentId}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Key at the destination{' '}
          <input value={key} required maxLength={128} onChange={(e) => setKey(e.target.value)} />
        </label>
        <button type="submit" disabled={d.map.isPending || !segmentId || !key.trim()}>
          Map segment
        </button>
      </form>
      <ErrorNote error={d.map.error} />
      {destination.kind === 'batch' ? (
        <>
          <div className="row wrap">
            <h3 className="grow">Export runs</h3>
            <button type="button" onClick={() => d.run.mutate('delta')} disabled={d.run.isPending}>
              Export changes (delta)
            </button>
            <button type="button" onClick={() => d.run.mutate('full')} disabled={d.run.isPending}>
              Export everything (full)
            </button>
          </div>
          <ErrorNote error={d.run.error} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Export runs, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Segments</th>
                  <th scope="col" className="num">
                    Lines
                  </th>
                  <th scope="col">File</th>
                </tr>
              </thead>
              <tbody>
                {(d.runs.data?.data ?? []).map((r) => (
                  <tr key={r.id}>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>{r.mode}</td>
                    <td>
                      {r.segments
                        .map(
                          (s) =>
                            `${s.key}: ${s.outcome}${s.outcome === 'exported' ? ` +${s.added} −${s.removed}` : ''}`,
                        )
                        .join('; ')}
                    </td>
                    <td className="num">{r.lines}</td>
                    <td>
                      {r.fileAvailable ? (
                        <a
                          href={`${base}/${enc(destination.id)}/exports/${enc(r.id)}/file`}
                          download
                        >
                          CSV
                        </a>
                      ) : (
                        'expired'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <>
          <div className="row wrap">
            <h3 className="grow">Deliveries</h3>
            <button type="button" onClick={() => d.push.mutate()} disabled={d.push.isPending}>
              Push now
            </button>
          </div>
          <ErrorNote error={d.push.error} />
          <ul className="stack" aria-label="Deliveries">
            {(d.deliveries.data?.data ?? []).map((x) => (
              <li key={x.id}>
                {formatTime(x.createdAt)} {x.key}: +{x.added} −{x.removed} — {x.status} after{' '}
                {x.attempts} attempt{x.attempts === 1 ? '' : 's'}
                {x.statusCode ? ` (HTTP ${x.statusCode})` : ''}
                {x.error ? `: ${x.error}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Export destinations: where segments go as ID files or server-to-server pushes. */
export function DestinationsPage() {
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['dmp', 'destinations'],
    queryFn: ({ signal }) => api<Page<Destination>>(base, { signal }),
  });
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'batch' | 'push'>('batch');
  const [idType, setIdType] = useState<string>('dmp_id');
  const [url, setUrl] = useState('');
  const [labels, setLabels] = useState<string[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<Destination>(base, {
        method: 'POST',
        body: { name: name.trim(), kind, idType, labels, ...(kind === 'push' ? { url } : {}) },
      }),
    onSuccess: (created) => {
      setSelected(created.id);
      setSecret(created.secret ?? null);
      setName('');
      void client.invalidateQueries({ queryKey: ['dmp', 'destinations'] });
    },
  });
  const destinations = list.data?.data ?? [];
  const shown = destinations.find((x) => x.id === selected) ?? destinations[0];
  return (
    <div className="stack">
      <PageHeader
        title="Export destinations"
        description="Segments sent out as ID files (full or changes, with removals) or pushed to a partner; data labels refuse forbidden uses."
      />
      <form
        className="card stack"
        aria-label="Create a destination"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="row wrap">
          <label className="grow">
            Name{' '}
            <input
              value={name}
              required
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as 'batch' | 'push')}>
              <option value="batch">batch files</option>
              <option value="push">server-to-server push</option>
            </select>
          </label>
          <label>
            ID type{' '}
            <select value={idType} onChange={(e) => setIdType(e.target.value)}>
              {idTypes
                .filter((t) => t !== 'partner_uid')
                .map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
            </select>
          </label>
          {kind === 'push' ? (
            <label className="grow">
              URL <input value={url} type="url" required onChange={(e) => setUrl(e.target.value)} />
            </label>
          ) : null}
        </div>
        <fieldset className="row wrap">
          <legend>What the destination does with the IDs</legend>
          {labelChoices.map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                checked={labels.includes(l)}
                onChange={(e) =>
                  setLabels(e.target.checked ? [...labels, l] : labels.filter((x) => x !== l))
                }
              />{' '}
              {l.replaceAll('_', ' ')}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
            Create destination
          </button>
        </div>
        <ErrorNote error={create.error} />
        {secret ? (
          <p className="notice">
            Signing secret (shown once): <code>{secret}</code>
          </p>
        ) : null}
      </form>
      <ErrorNote error={list.error} />
      {list.data && destinations.length === 0 ? (
        <p className="notice">No destination yet.</p>
      ) : null}
      {destinations.length > 0 ? (
        <ul className="chips" aria-label="Destinations">
          {destinations.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                aria-pressed={shown?.id === x.id}
                onClick={() => setSelected(x.id)}
              >
                {x.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {shown ? <DestinationDetail key={shown.id} destination={shown} /> : null}
    </div>
  );
}
