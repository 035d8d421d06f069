import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { Me } from '../api/types';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { HomePage } from '../pages/HomePage';
import { NoAccessPage, NotFoundPage } from '../pages/StatusPages';
import { type Area, areas, mayUse } from './areas';
import { Header } from './Header';
import { Nav } from './Nav';
import { matchPath, navigate, useLocation } from './router';

const searchPage = lazy(() =>
  import('../areas/search/SearchPage').then((m) => ({ default: m.SearchPage })),
);

/** Resolves a path to what the main column shows. */
function resolve(path: string, me: Me) {
  if (path === '/') return <HomePage me={me} />;
  if (path === '/search') {
    const SearchPage = searchPage;
    return <SearchPage />;
  }
  for (const area of areas) {
    for (const route of area.routes) {
      const params = matchPath(route.pattern, path);
      if (!params) continue;
      if (!mayUse(area, me.role)) return <NoAccessPage area={area} role={me.role} />;
      const Page = route.page;
      return <Page params={params} />;
    }
  }
  return <NotFoundPage />;
}

function activeArea(path: string): Area | undefined {
  return areas.find((area) => area.routes.some((route) => matchPath(route.pattern, path) !== null));
}

/** The signed-in frame: header, navigation for the role, and the current page. */
export function Shell({ me }: { me: Me }) {
  const { path, query } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);

  useEffect(() => {
    // After logging in on /login, go where the visitor was heading.
    if (path === '/login') {
      const next = query.get('next');
      navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [path, query]);

  useEffect(() => {
    setMenuOpen(false);
    // Moving focus to the new page tells screen readers and keyboard users that it changed.
    if (path !== firstPath.current) main.current?.focus();
  }, [path]);

  const area = activeArea(path);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header me={me} menuOpen={menuOpen} onToggleMenu={() => setMenuOpen((open) => !open)} />
      <div className="shell-body">
        <Nav role={me.role} path={path} open={menuOpen} current={area?.id} />
        <main id="main" ref={main} tabIndex={-1} className="main">
          <ErrorBoundary key={path}>
            <Suspense
              fallback={
                <p className="muted" role="status">
                  Loading…
                </p>
              }
            >
              {resolve(path, me)}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
