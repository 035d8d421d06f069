import { Link } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { useAudiences } from './audiences.api';

export function AudiencesPage() {
  const audiences = useAudiences();
  return (
    <div className="stack">
      <PageHeader
        title="Audiences"
        description="Profiles matching a definition, kept current as events stream in."
        actions={
          <Link to="/audiences/new" className="button primary">
            New audience
          </Link>
        }
      />
      <ErrorNote error={audiences.error} />
      {audiences.isPending ? (
        <p className="muted" role="status">
          Loading audiences…
        </p>
      ) : null}
      {audiences.data && audiences.data.data.length === 0 ? (
        <p className="notice">No audiences yet: build one to start.</p>
      ) : null}
      {audiences.data && audiences.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Audiences</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Mode</th>
                <th scope="col">Status</th>
                <th scope="col">Definition</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {audiences.data.data.map((audience) => (
                <tr key={audience.id}>
                  <td>
                    <Link to={`/audiences/${encodeURIComponent(audience.id)}`}>
                      {audience.name}
                    </Link>
                  </td>
                  <td>
                    <code>{audience.key}</code>
                  </td>
                  <td className="num">{audience.size}</td>
                  <td>{audience.mode}</td>
                  <td>
                    <span className={audience.status === 'ready' ? 'badge ok' : 'badge'}>
                      {audience.status}
                    </span>
                  </td>
                  <td className="wrap-text">
                    <code>{audience.text}</code>
                  </td>
                  <td>{formatTime(audience.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
