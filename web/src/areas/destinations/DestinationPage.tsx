import { Fragment, useState } from 'react';
import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { JsonView } from '../../components/JsonView';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import {
  deliveryStatuses,
  useDeliveries,
  useDestination,
  useDestinationMutations,
} from './destinations.api';

const statusClass: Record<string, string> = { delivered: 'badge ok', dead: 'badge off' };

export function DestinationPage({ params }: PageProps) {
  const id = params.id ?? '';
  const destination = useDestination(id);
  const [status, setStatus] = useState('');
  const paging = useCursorStack(`${id}:${status}`);
  const deliveries = useDeliveries(id, status, paging.cursor);
  const { update, redrive } = useDestinationMutations();
  const [open, setOpen] = useState<string | undefined>();

  if (destination.error) return <ErrorNote error={destination.error} />;
  if (!destination.data) {
    return (
      <p className="muted" role="status">
        Loading destination…
      </p>
    );
  }
  const d = destination.data;
  const rows = deliveries.data?.data ?? [];

  return (
    <div className="stack">
      <p>
        <Link to="/destinations">← All destinations</Link>
      </p>
      <PageHeader
        title={d.name}
        description={
          <>
            Sends {d.kind} to <code>{d.url}</code>
          </>
        }
        actions={
          <button
            type="button"
            className={d.enabled ? 'danger' : 'primary'}
            disabled={update.isPending}
            onClick={() => update.mutate({ id: d.id, enabled: !d.enabled })}
          >
            {d.enabled ? 'Disable destination' : 'Enable destination'}
          </button>
        }
      />
      <ErrorNote error={update.error} />
      <section className="card stack" aria-labelledby="deliveries-title">
        <div className="row wrap between">
          <h2 id="deliveries-title">Delivery log</h2>
          <div className="row wrap">
            <label className="field">
              <span>Status</span>
              <select value={status} onChange={(e) => setStatus(e.target.value)}>
                <option value="">any</option>
                {deliveryStatuses.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="primary"
              disabled={redrive.isPending}
              onClick={() => redrive.mutate({ id: d.id })}
            >
              Redrive all dead letters
            </button>
          </div>
        </div>
        <ErrorNote error={redrive.error} />
        {redrive.data ? (
          <p className="notice ok" role="status">
            {redrive.data.redriven} dead message{redrive.data.redriven === 1 ? '' : 's'} queued
            again.
          </p>
        ) : null}
        <ErrorNote error={deliveries.error} />
        {deliveries.data && rows.length === 0 ? (
          <p className="muted">No deliveries{status ? ` with status ${status}` : ''}.</p>
        ) : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Message</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last answer</th>
                  <th scope="col">Queued</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <Fragment key={row.id}>
                    <tr>
                      <td>
                        <button
                          type="button"
                          className="link"
                          aria-expanded={open === row.id}
                          onClick={() => setOpen(open === row.id ? undefined : row.id)}
                        >
                          {row.messageId}
                        </button>
                      </td>
                      <td>
                        <span className={statusClass[row.status] ?? 'badge'}>{row.status}</span>
                      </td>
                      <td className="num">{row.attempts}</td>
                      <td className="wrap-text">
                        {row.lastStatus ?? ''} {row.lastError ?? ''}
                      </td>
                      <td>{formatTime(row.createdAt)}</td>
                      <td>
                        {row.status === 'dead' ? (
                          <button
                            type="button"
                            onClick={() => redrive.mutate({ id: d.id, ids: [row.id] })}
                            aria-label={`Redrive ${row.messageId}`}
                          >
                            Redrive
                          </button>
                        ) : null}
                      </td>
                    </tr>
                    {open === row.id ? (
                      <tr>
                        <td colSpan={6}>
                          <div className="stack">
                            <ol className="plain-list" aria-label="Attempts">
                              {row.log.map((a) => (
                                <li key={a.attempt}>
                                  #{a.attempt} {formatTime(a.at)} · {a.statusCode ?? 'no answer'}
                                  {a.latencyMs !== null ? ` · ${a.latencyMs} ms` : ''}
                                  {a.error ? ` · ${a.error}` : ''}
                                </li>
                              ))}
                            </ol>
                            <JsonView value={row.payload} label="Message body (JSON)" />
                          </div>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <Pager
          label="Delivery pages"
          page={paging.page}
          hasNext={Boolean(deliveries.data?.next)}
          onFirst={paging.first}
          onPrevious={paging.previous}
          onNext={() => {
            const next = deliveries.data?.next;
            if (next) paging.next(next);
          }}
        />
      </section>
    </div>
  );
}
