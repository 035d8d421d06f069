import { lazy, Suspense, useState } from 'react';
import { withQuery } from '../../api/client';
import type { StoredEvent } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useSources } from '../sources/sources.api';
import { EventDrawer } from './EventDrawer';
import { EventFiltersForm } from './EventFiltersForm';
import { type EventFilters, eventFilterNames, filtersFrom, useEvents } from './events.api';
import { useCursorStack } from './useCursorStack';

// The chart library is the heaviest dependency: it loads after the table, in its own chunk.
const Sparkline = lazy(() => import('./Sparkline').then((m) => ({ default: m.Sparkline })));

export function ExplorerPage() {
  const { query } = useLocation();
  const filters = filtersFrom(eventFilterNames, query);
  const filterKey = JSON.stringify(filters);
  const paging = useCursorStack(filterKey);
  const events = useEvents(filters, paging.cursor);
  const sources = useSources();
  const [open, setOpen] = useState<StoredEvent | undefined>();

  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name ?? id;
  const apply = (next: EventFilters) => navigate(withQuery('/events', next));
  const rows = events.data?.data ?? [];

  return (
    <div className="stack">
      <PageHeader
        title="Event explorer"
        description="Stored events, newest first. Filter, page, and open one to see its payload."
      />
      <EventFiltersForm key={filterKey} filters={filters} onApply={apply} />
      <ErrorNote error={events.error} />
      {rows.length > 0 ? (
        <Suspense fallback={<div className="spark-placeholder" />}>
          <Sparkline events={rows} />
        </Suspense>
      ) : null}
      <div className="table-wrap" aria-busy={events.isFetching}>
        <table>
          <caption className="visually-hidden">Events</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Type</th>
              <th scope="col">Event</th>
              <th scope="col">User ID</th>
              <th scope="col">Anonymous ID</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((event) => (
              <tr key={event.seq}>
                <td title={event.receivedAt}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setOpen(event)}
                    aria-label={`Open ${event.type} event ${event.event ?? ''} received ${formatTime(event.receivedAt)}`}
                  >
                    {formatTime(event.receivedAt)}
                  </button>
                </td>
                <td>
                  <span className="badge">{event.type}</span>
                </td>
                <td>{event.event ?? '—'}</td>
                <td className="mono">{event.userId ?? '—'}</td>
                <td className="mono">{event.anonymousId ?? '—'}</td>
                <td>{sourceName(event.sourceId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {events.isSuccess && rows.length === 0 ? (
          <p className="empty">No events match these filters.</p>
        ) : null}
        {events.isPending ? (
          <p className="empty" role="status">
            Loading events…
          </p>
        ) : null}
      </div>
      <Pager
        label="Event pages"
        page={paging.page}
        hasNext={Boolean(events.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = events.data?.next;
          if (next) paging.next(next);
        }}
      />
      <EventDrawer
        event={open}
        sourceName={open ? sourceName(open.sourceId) : ''}
        onClose={() => setOpen(undefined)}
      />
    </div>
  );
}
