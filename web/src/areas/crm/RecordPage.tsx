import { useRole } from '../../api/role';
import type { PageProps } from '../../app/areas';
import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { CdpFactsPanel } from './CdpFactsPanel';
import { canRead, type RecordType, useActivities, useAssociated, useRecord } from './crm.api';
import { EmailComposer } from './EmailComposer';
import { recordTypes } from './recordTypes';
import { SlaPanel } from './SlaPanel';

/** Who may send one-to-one e-mail (`POST /api/v1/crm/emails`). */
const mayEmail = (role: string) => role === 'admin' || role === 'sales' || role === 'support';

/** Who may read the CDP facts of a contact (`GET /api/v1/crm/contacts/{id}/cdp`). */
const mayReadCdp = (role: string) => ['admin', 'sales', 'support', 'marketer'].includes(role);

const related: RecordType[] = ['contacts', 'companies', 'deals', 'tickets'];

/** One record: its properties, the records associated with it and its activity timeline. */
export function RecordPage({ type, params }: PageProps & { type: RecordType }) {
  const id = params.id ?? '';
  const role = useRole();
  const config = recordTypes[type];
  const record = useRecord(type, id, []);
  const mayReadActivities = canRead(role, 'activities');
  const activities = useActivities(type, id, mayReadActivities);

  if (record.error) return <ErrorNote error={record.error} />;
  if (!record.data) {
    return (
      <p className="muted" role="status">
        Loading {config.singular}…
      </p>
    );
  }
  const r = record.data;
  const properties = Object.entries(r.properties).filter(([, v]) => v !== null && v !== '');

  return (
    <div className="stack">
      <p>
        <Link to={`/${type}`}>← All {config.title.toLowerCase()}</Link>
      </p>
      <PageHeader
        title={config.titleOf(r.properties) || `${config.singular} ${r.id}`}
        description={`${config.singular[0]?.toUpperCase()}${config.singular.slice(1)} #${r.id} · created ${formatTime(r.createdAt)} · updated ${formatTime(r.updatedAt)}`}
      />
      {type === 'tickets' && canRead(role, 'tickets') ? <SlaPanel ticketId={r.id} /> : null}
      <div className="split">
        <section className="card stack" aria-labelledby="props-title">
          <h2 id="props-title">Properties</h2>
          <dl className="facts" data-testid="properties">
            {properties.map(([name, value]) => (
              <div key={name} className="fact">
                <dt>{name}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card stack" aria-labelledby="assoc-title">
          <h2 id="assoc-title">Associated records</h2>
          {related
            .filter((to) => to !== type && canRead(role, to))
            .map((to) => (
              <Associated key={to} type={type} id={id} to={to} />
            ))}
        </section>
      </div>
      {type === 'contacts' && mayReadCdp(role) ? <CdpFactsPanel contactId={r.id} /> : null}
      {type === 'contacts' && mayEmail(role) ? (
        <EmailComposer contactId={r.id} email={r.properties.email ?? null} />
      ) : null}
      <section className="card stack" aria-labelledby="activity-title">
        <h2 id="activity-title">Activity timeline</h2>
        {!mayReadActivities ? (
          <p className="muted">The {role} role may not read activities.</p>
        ) : null}
        <ErrorNote error={activities.error} />
        {activities.data && activities.data.length === 0 ? (
          <p className="muted">No calls, e-mails, meetings, notes or tasks yet.</p>
        ) : null}
        <ol className="timeline" aria-label="Activities, newest first">
          {activities.data?.map((a) => (
            <li key={`${a.type}-${a.record.id}`} className={`activity ${a.type}`}>
              <span className="badge">{a.type.slice(0, -1)}</span>{' '}
              {a.title ? <strong>{a.title} </strong> : null}
              <time dateTime={a.at} className="muted">
                {formatTime(a.at)}
              </time>
              {a.body ? <p className="activity-body">{a.body}</p> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Associated({ type, id, to }: { type: RecordType; id: string; to: RecordType }) {
  const config = recordTypes[to];
  const list = useAssociated(
    type,
    id,
    to,
    config.columns.map((c) => c.name),
    true,
  );
  return (
    <div>
      <h3>{config.title}</h3>
      <ErrorNote error={list.error} />
      {list.data && list.data.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="plain-list">
        {list.data?.map((rec) => (
          <li key={rec.id}>
            <Link to={`/${to}/${encodeURIComponent(rec.id)}`}>
              {config.titleOf(rec.properties) || `#${rec.id}`}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
