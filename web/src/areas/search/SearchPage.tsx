import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../api/session';
import { Link, useLocation } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { PageHeader } from '../../components/PageHeader';
import { providersFor, type SearchGroup } from './providers';

export function SearchPage() {
  const { query } = useLocation();
  const q = query.get('q')?.trim() ?? '';
  const session = useSession();
  const role = session.data?.role;
  const providers = role ? providersFor(role) : [];
  const results = useQuery({
    queryKey: ['search', role, q],
    enabled: q !== '' && providers.length > 0,
    queryFn: async ({ signal }): Promise<SearchGroup[]> => {
      const groups = await Promise.all(providers.map((p) => p.search(q, signal)));
      return groups.flat();
    },
  });

  return (
    <div className="stack">
      <PageHeader
        title="Search"
        description={q ? `Results for “${q}”` : 'Type an identifier in the search box above.'}
      />
      <ErrorNote error={results.error} />
      {results.isFetching ? (
        <p className="muted" role="status">
          Searching…
        </p>
      ) : null}
      {results.data && results.data.length === 0 ? (
        <p className="notice" role="status">
          Nothing matches “{q}”. Search looks for exact user IDs, anonymous IDs and message IDs, and
          for profiles by any identifier.
        </p>
      ) : null}
      {results.data?.map((group) => (
        <section key={group.label} className="card stack" aria-label={group.label}>
          <div className="row between">
            <h2>{group.label}</h2>
            {group.moreHref ? <Link to={group.moreHref}>Open in the explorer</Link> : null}
          </div>
          <ul className="hits">
            {group.hits.map((hit) => (
              <li key={hit.key}>
                <Link to={hit.href}>{hit.title}</Link>
                <span className="muted mono"> {hit.detail}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
