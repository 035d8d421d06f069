import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { Pager } from '../../components/Pager';
import { useCursorStack } from '../events/useCursorStack';
import { useAudience, useMembers } from './audiences.api';

export function AudiencePage({ params }: PageProps) {
  const id = params.id ?? '';
  const audience = useAudience(id);
  const paging = useCursorStack(id);
  const members = useMembers(id, paging.cursor);

  if (audience.error) return <ErrorNote error={audience.error} />;
  if (!audience.data) {
    return (
      <p className="muted" role="status">
        Loading audience…
      </p>
    );
  }
  const a = audience.data;
  return (
    <div className="stack">
      <p>
        <Link to="/audiences">← All audiences</Link>
      </p>
      <PageHeader
        title={a.name}
        description={a.description || `Key ${a.key} · created ${formatTime(a.createdAt)}`}
        actions={
          <span className={a.status === 'ready' ? 'badge ok' : 'badge'}>
            {a.status === 'backfilling'
              ? `backfilling ${a.progress.done}/${a.progress.total}`
              : a.status}
          </span>
        }
      />
      <section className="card stack" aria-labelledby="definition-title">
        <h2 id="definition-title">Definition</h2>
        <pre className="code">{a.text}</pre>
        <dl className="facts">
          <dt>Members</dt>
          <dd data-testid="audience-size">{a.size}</dd>
          <dt>Mode</dt>
          <dd>{a.mode}</dd>
          <dt>Last batch run</dt>
          <dd>{formatTime(a.lastBatchAt)}</dd>
        </dl>
      </section>
      <section className="card stack" aria-labelledby="members-title">
        <h2 id="members-title">Members</h2>
        <ErrorNote error={members.error} />
        {members.data && members.data.data.length === 0 ? (
          <p className="muted">No members yet.</p>
        ) : null}
        <ul className="plain-list">
          {members.data?.data.map((m) => (
            <li key={m.profileId}>
              <Link to={`/profiles/${encodeURIComponent(m.profileId)}`}>{m.profileId}</Link>{' '}
              <span className="muted">since {formatTime(m.enteredAt)}</span>
            </li>
          ))}
        </ul>
        <Pager
          label="Member pages"
          page={paging.page}
          hasNext={Boolean(members.data?.next)}
          onFirst={paging.first}
          onPrevious={paging.previous}
          onNext={() => {
            const next = members.data?.next;
            if (next) paging.next(next);
          }}
        />
      </section>
    </div>
  );
}
