import { type FormEvent, useState } from 'react';
import { withQuery } from '../../api/client';
import type { RejectedEvent } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { JsonView } from '../../components/JsonView';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useSources } from '../sources/sources.api';
import {
  filtersFrom,
  type RejectedFilters,
  rejectedFilterNames,
  useRejectedEvents,
} from './events.api';
import { useCursorStack } from './useCursorStack';

export function RejectedPage() {
  const { query } = useLocation();
  const filters = filtersFrom(rejectedFilterNames, query);
  const filterKey = JSON.stringify(filters);
  const paging = useCursorStack(filterKey);
  const rejected = useRejectedEvents(filters, paging.cursor);
  const sources = useSources();
  const [open, setOpen] = useState<RejectedEvent | undefined>();
  const sourceName = (id: string) => sources.data?.find((s) => s.id === id)?.name ?? id;
  const rows = rejected.data?.data ?? [];

  return (
    <div className="stack">
      <PageHeader
        title="Rejected events"
        description="Inputs collection refused, each with the reason; the valid items of a batch were kept."
      />
      <RejectedFiltersForm
        key={filterKey}
        filters={filters}
        sources={sources.data?.map((s) => ({ id: s.id, name: s.name })) ?? []}
        onApply={(next) => navigate(withQuery('/events/rejected', next))}
      />
      <ErrorNote error={rejected.error} />
      <div className="table-wrap" aria-busy={rejected.isFetching}>
        <table>
          <caption className="visually-hidden">Rejected events</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Code</th>
              <th scope="col">Reason</th>
              <th scope="col">Message ID</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => (
              <tr key={item.seq}>
                <td title={item.receivedAt}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setOpen(item)}
                    aria-label={`Open rejected input received ${formatTime(item.receivedAt)}`}
                  >
                    {formatTime(item.receivedAt)}
                  </button>
                </td>
                <td>
                  <span className="badge off">{item.code}</span>
                </td>
                <td>{item.reason}</td>
                <td className="mono">{item.messageId ?? '—'}</td>
                <td>{sourceName(item.sourceId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rejected.isSuccess && rows.length === 0 ? (
          <p className="empty">
            Nothing was rejected{filterKey === '{}' ? '' : ' with these filters'}.
          </p>
        ) : null}
      </div>
      <Pager
        label="Rejected event pages"
        page={paging.page}
        hasNext={Boolean(rejected.data?.next)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = rejected.data?.next;
          if (next) paging.next(next);
        }}
      />
      <Dialog
        open={open !== undefined}
        title={open ? `Rejected: ${open.code}` : 'Rejected input'}
        onClose={() => setOpen(undefined)}
        variant="drawer"
      >
        {open ? (
          <div className="stack">
            <p role="note" className="notice error">
              {open.reason}
            </p>
            <JsonView value={open.payload} label="The rejected input (JSON)" />
          </div>
        ) : null}
      </Dialog>
    </div>
  );
}

function RejectedFiltersForm({
  filters,
  sources,
  onApply,
}: {
  filters: RejectedFilters;
  sources: { id: string; name: string }[];
  onApply: (filters: RejectedFilters) => void;
}) {
  const [sourceId, setSourceId] = useState(filters.sourceId ?? '');
  const [code, setCode] = useState(filters.code ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      ...(sourceId ? { sourceId } : {}),
      ...(code.trim() ? { code: code.trim() } : {}),
    });
  };
  return (
    <form className="card filters" onSubmit={submit} aria-label="Rejected event filters">
      <label className="field">
        <span>Source</span>
        <select value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          <option value="">All sources</option>
          {sources.map((source) => (
            <option key={source.id} value={source.id}>
              {source.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Code</span>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="missing_field, too_deep…"
        />
      </label>
      <div className="row filters-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
