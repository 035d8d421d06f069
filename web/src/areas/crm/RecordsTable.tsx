import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, navigate, useLocation } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import {
  amountOf,
  formatAmount,
  type RecordType,
  type SearchBody,
  search,
  useSearch,
} from './crm.api';
import { operators, recordTypes } from './recordTypes';

const pageSize = 50;
/** The column total over every match is summed from the API's pages up to this many records. */
const totalLimit = 2000;

const isDateColumn = (name: string) => name === 'createdate' || name === 'closedate';

/**
 * A table of records from the search API: a text query, one property filter, a sort (by
 * clicking a column heading), cursor paging, and for deals the amount summed over the page and
 * over every match.
 */
export function RecordsTable({ type }: { type: RecordType }) {
  const config = recordTypes[type];
  const { path, query } = useLocation();
  const q = query.get('q') ?? '';
  const prop = query.get('prop') ?? '';
  const op = query.get('op') ?? 'EQ';
  const value = query.get('value') ?? '';
  const sort = query.get('sort') ?? 'createdate';
  const dir = query.get('dir') === 'asc' ? 'ASCENDING' : 'DESCENDING';
  const [form, setForm] = useState({ q, prop, op, value });

  const filterNeedsValue = op !== 'HAS_PROPERTY' && op !== 'NOT_HAS_PROPERTY';
  const filters =
    prop && (!filterNeedsValue || value !== '')
      ? [{ propertyName: prop, operator: op, ...(filterNeedsValue ? { value } : {}) }]
      : [];
  const base: SearchBody = {
    ...(filters.length > 0 ? { filterGroups: [{ filters }] } : {}),
    ...(q ? { query: q } : {}),
    sorts: [{ propertyName: sort, direction: dir }],
  };
  const paging = useCursorStack(JSON.stringify(base));
  const results = useSearch(type, {
    ...base,
    properties: config.columns.map((c) => c.name),
    limit: pageSize,
    ...(paging.cursor ? { after: paging.cursor } : {}),
  });
  const hasAmount = config.columns.some((c) => c.name === 'amount');
  const total = results.data?.total ?? 0;
  const allAmounts = useQuery({
    queryKey: ['crm', type, 'amount-total', base],
    enabled: hasAmount && results.data !== undefined && total <= totalLimit,
    queryFn: async ({ signal }) => {
      let sum = 0;
      let after: string | undefined;
      do {
        const page = await search(
          type,
          { ...base, properties: ['amount'], limit: 200, ...(after ? { after } : {}) },
          signal,
        );
        sum += page.results.reduce((s, r) => s + amountOf(r), 0);
        after = page.paging?.next.after;
      } while (after);
      return sum;
    },
  });

  const go = (changes: Record<string, string>) => {
    const params = new URLSearchParams({
      q,
      prop,
      op,
      value,
      sort,
      dir: dir === 'ASCENDING' ? 'asc' : 'desc',
      ...changes,
    });
    for (const [k, v] of [...params]) if (v === '') params.delete(k);
    const text = params.toString();
    navigate(text ? `${path}?${text}` : path);
  };
  const apply = (event: FormEvent) => {
    event.preventDefault();
    go({ q: form.q.trim(), prop: form.prop, op: form.op, value: form.value.trim() });
  };
  const sortBy = (name: string) =>
    go({ sort: name, dir: sort === name && dir === 'DESCENDING' ? 'asc' : 'desc' });

  const rows = results.data?.results ?? [];
  const pageSum = rows.reduce((s, r) => s + amountOf(r), 0);

  return (
    <div className="stack">
      <PageHeader
        title={config.title}
        description={
          results.data
            ? `${total} ${total === 1 ? config.singular : config.title.toLowerCase()} match`
            : undefined
        }
      />
      <form
        className="card filters"
        onSubmit={apply}
        aria-label={`Filter ${config.title.toLowerCase()}`}
      >
        <label className="field">
          <span>Search text</span>
          <input
            type="search"
            value={form.q}
            onChange={(e) => setForm({ ...form, q: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Property</span>
          <select value={form.prop} onChange={(e) => setForm({ ...form, prop: e.target.value })}>
            <option value="">(no property filter)</option>
            {config.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Condition</span>
          <select value={form.op} onChange={(e) => setForm({ ...form, op: e.target.value })}>
            {operators.map((o) => (
              <option key={o.op} value={o.op}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Value</span>
          <input value={form.value} onChange={(e) => setForm({ ...form, value: e.target.value })} />
        </label>
        <div className="filters-actions row end">
          <button
            type="button"
            onClick={() => {
              setForm({ q: '', prop: '', op: 'EQ', value: '' });
              navigate(path);
            }}
          >
            Clear
          </button>
          <button type="submit" className="primary">
            Apply filters
          </button>
        </div>
      </form>
      <ErrorNote error={results.error} />
      <div className="table-wrap" aria-busy={results.isFetching}>
        <table>
          <caption className="visually-hidden">{config.title}</caption>
          <thead>
            <tr>
              {config.columns.map((c) => (
                <th
                  key={c.name}
                  scope="col"
                  className={c.numeric ? 'num' : undefined}
                  aria-sort={
                    sort === c.name ? (dir === 'ASCENDING' ? 'ascending' : 'descending') : 'none'
                  }
                >
                  <button type="button" className="sort" onClick={() => sortBy(c.name)}>
                    {c.label}
                    <span aria-hidden="true">
                      {sort === c.name ? (dir === 'ASCENDING' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((record) => (
              <tr key={record.id}>
                {config.columns.map((c, i) => {
                  const raw = record.properties[c.name] ?? '';
                  const shown =
                    c.numeric && raw !== ''
                      ? formatAmount(Number(raw))
                      : isDateColumn(c.name)
                        ? raw
                          ? formatTime(raw)
                          : ''
                        : raw;
                  return (
                    <td key={c.name} className={c.numeric ? 'num' : undefined}>
                      {i === 0 ? (
                        <Link to={`/${type}/${encodeURIComponent(record.id)}`}>
                          {shown || config.titleOf(record.properties) || `#${record.id}`}
                        </Link>
                      ) : (
                        shown
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          {hasAmount && rows.length > 0 ? (
            <tfoot>
              <tr>
                <th scope="row" colSpan={config.columns.findIndex((c) => c.name === 'amount')}>
                  Total amount
                </th>
                <td className="num" data-testid="amount-total">
                  <div>{formatAmount(pageSum)} on this page</div>
                  <div className="muted">
                    {total > totalLimit
                      ? `over ${totalLimit} matches: not summed`
                      : allAmounts.data !== undefined
                        ? `${formatAmount(allAmounts.data)} over all ${total}`
                        : 'summing…'}
                  </div>
                </td>
                <td
                  colSpan={
                    config.columns.length - config.columns.findIndex((c) => c.name === 'amount') - 1
                  }
                />
              </tr>
            </tfoot>
          ) : null}
        </table>
        {results.data && rows.length === 0 ? (
          <p className="empty">No {config.title.toLowerCase()} match.</p>
        ) : null}
        {results.isPending ? (
          <p className="empty" role="status">
            Loading…
          </p>
        ) : null}
      </div>
      <Pager
        label={`${config.title} pages`}
        page={paging.page}
        hasNext={Boolean(results.data?.paging?.next.after)}
        onFirst={paging.first}
        onPrevious={paging.previous}
        onNext={() => {
          const next = results.data?.paging?.next.after;
          if (next) paging.next(next);
        }}
      />
    </div>
  );
}
