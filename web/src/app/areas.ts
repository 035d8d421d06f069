import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { Role } from '../api/types';

export interface PageProps {
  params: Record<string, string>;
}

type Page = LazyExoticComponent<ComponentType<PageProps>>;

export type AreaGroup = 'Customer data' | 'Sales and support' | 'Advertising' | 'Administration';

/**
 * One entry per area of the console. The navigation, the role gate and code splitting all
 * come from this list: a new area (contacts, deals, segments, privacy requests...) is a folder
 * under areas/ and an entry here. `roles` mirrors the API's policy; admins see everything.
 */
export interface Area {
  id: string;
  label: string;
  group: AreaGroup;
  roles: readonly Role[];
  /** Where the navigation link points. */
  href: string;
  routes: { pattern: string; page: Page }[];
}

// React.lazy wants a default export; the pages keep named ones and are picked out here.
const sourcesPage = lazy(() =>
  import('../areas/sources/SourcesPage').then((m) => ({ default: m.SourcesPage })),
);
const sourceDetailPage = lazy(() =>
  import('../areas/sources/SourceDetailPage').then((m) => ({ default: m.SourceDetailPage })),
);
const explorerPage = lazy(() =>
  import('../areas/events/ExplorerPage').then((m) => ({ default: m.ExplorerPage })),
);
const rejectedPage = lazy(() =>
  import('../areas/events/RejectedPage').then((m) => ({ default: m.RejectedPage })),
);
const usersPage = lazy(() =>
  import('../areas/settings/UsersPage').then((m) => ({ default: m.UsersPage })),
);
const tokensPage = lazy(() =>
  import('../areas/settings/TokensPage').then((m) => ({ default: m.TokensPage })),
);

export const areas: readonly Area[] = [
  {
    id: 'sources',
    label: 'Sources',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/sources',
    routes: [
      { pattern: '/sources', page: sourcesPage },
      { pattern: '/sources/:id', page: sourceDetailPage },
    ],
  },
  {
    id: 'events',
    label: 'Event explorer',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/events',
    routes: [{ pattern: '/events', page: explorerPage }],
  },
  {
    id: 'rejected',
    label: 'Rejected events',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/events/rejected',
    routes: [{ pattern: '/events/rejected', page: rejectedPage }],
  },
  {
    id: 'users',
    label: 'Users',
    group: 'Administration',
    roles: [],
    href: '/settings/users',
    routes: [{ pattern: '/settings/users', page: usersPage }],
  },
  {
    id: 'tokens',
    label: 'API tokens',
    group: 'Administration',
    roles: [],
    href: '/settings/tokens',
    routes: [{ pattern: '/settings/tokens', page: tokensPage }],
  },
];

export function mayUse(area: Pick<Area, 'roles'>, role: Role): boolean {
  return role === 'admin' || area.roles.includes(role);
}

export function areasFor(role: Role): Area[] {
  return areas.filter((area) => mayUse(area, role));
}
