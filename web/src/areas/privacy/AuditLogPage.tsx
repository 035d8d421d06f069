import { type FormEvent, useState } from 'react';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { type AuditFilters, useAudit } from './privacy.api';

/** The audit log of personal-data reads and changes, newest first, filtered and paged. */
export function AuditLogPage() {
  const [draft, setDraft] = useState({ actor: '', resource: '' });
  const [filters, setFilters] = useState<AuditFilters>({});
  const cursors = useCursorStack(JSON.stringify(filters));
  const page = useAudit({
    ...filters,
    limit: 50,
    ...(cursors.cursor ? { cursor: cursors.cursor } : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters({
      ...(draft.actor.trim() ? { actor: draft.actor.trim() } : {}),
      ...(draft.resource.trim() ? { resource: draft.resource.trim() } : {}),
    });
  };
  return (
    <div className="stack">
      <PageHeader
        title="Audit log"
        description="Every read, change and export of personal data, and every privacy request. Identifiers in resources are digests."
      />
      <form className="card row wrap" onSubmit={submit} aria-label="Audit filters">
        <label>
          Actor{' '}
          <input
            value={draft.actor}
            placeholder="usr_… or tok_…"
            onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          />
        </label>
        <label className="grow">
          Resource{' '}
          <input
            value={draft.resource}
            placeholder="/api/v1/profiles/* (a prefix ends with *)"
            onChange={(e) => setDraft({ ...draft, resource: e.target.value })}
          />
        </label>
        <button type="submit">Apply filters</button>
      </form>
      <ErrorNote error={page.error} />
      {page.data && page.data.data.length === 0 ? <p className="notice">No entries.</p> : null}
      {page.data && page.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">At</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Resource</th>
                <th scope="col" className="num">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.data.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.at}>{formatTime(e.at)}</time>
                  </td>
                  <td>
                    <code>{e.actor}</code>
                  </td>
                  <td>{e.action}</td>
                  <td className="wrap-text">
                    <code>{e.resource}</code>
                  </td>
                  <td className="num">{e.status ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager
        label="Audit log pages"
        page={cursors.page}
        hasNext={Boolean(page.data?.next)}
        onFirst={cursors.first}
        onPrevious={cursors.previous}
        onNext={() => page.data?.next && cursors.next(page.data.next)}
      />
    </div>
  );
}
