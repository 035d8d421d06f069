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
const profilesPage = lazy(() =>
  import('../areas/profiles/ProfilesPage').then((m) => ({ default: m.ProfilesPage })),
);
const profilePage = lazy(() =>
  import('../areas/profiles/ProfilePage').then((m) => ({ default: m.ProfilePage })),
);
const audiencesPage = lazy(() =>
  import('../areas/audiences/AudiencesPage').then((m) => ({ default: m.AudiencesPage })),
);
const audienceBuilderPage = lazy(() =>
  import('../areas/audiences/BuilderPage').then((m) => ({ default: m.BuilderPage })),
);
const audiencePage = lazy(() =>
  import('../areas/audiences/AudiencePage').then((m) => ({ default: m.AudiencePage })),
);
const computedTraitsPage = lazy(() =>
  import('../areas/audiences/ComputedTraitsPage').then((m) => ({
    default: m.ComputedTraitsPage,
  })),
);
const destinationsPage = lazy(() =>
  import('../areas/destinations/DestinationsPage').then((m) => ({
    default: m.DestinationsPage,
  })),
);
const destinationPage = lazy(() =>
  import('../areas/destinations/DestinationPage').then((m) => ({ default: m.DestinationPage })),
);
const insightsPage = lazy(() =>
  import('../areas/insights/InsightsPage').then((m) => ({ default: m.InsightsPage })),
);
const predictionsPage = lazy(() =>
  import('../areas/insights/PredictionsPage').then((m) => ({ default: m.PredictionsPage })),
);
const boardPage = lazy(() =>
  import('../areas/crm/BoardPage').then((m) => ({ default: m.BoardPage })),
);
const reportsPage = lazy(() =>
  import('../areas/crm/ReportsPage').then((m) => ({ default: m.ReportsPage })),
);
const ticketQueuePage = lazy(() =>
  import('../areas/crm/TicketQueuePage').then((m) => ({ default: m.TicketQueuePage })),
);
const crmTables = () => import('../areas/crm/tables');
const contactsPage = lazy(() => crmTables().then((m) => ({ default: m.ContactsPage })));
const companiesPage = lazy(() => crmTables().then((m) => ({ default: m.CompaniesPage })));
const dealsPage = lazy(() => crmTables().then((m) => ({ default: m.DealsPage })));
const ticketsPage = lazy(() => crmTables().then((m) => ({ default: m.TicketsPage })));
const crmRecords = () => import('../areas/crm/records');
const contactPage = lazy(() => crmRecords().then((m) => ({ default: m.ContactPage })));
const companyPage = lazy(() => crmRecords().then((m) => ({ default: m.CompanyPage })));
const dealPage = lazy(() => crmRecords().then((m) => ({ default: m.DealPage })));
const ticketPage = lazy(() => crmRecords().then((m) => ({ default: m.TicketPage })));
const duplicatesPage = lazy(() =>
  import('../areas/crm/DuplicatesPage').then((m) => ({ default: m.DuplicatesPage })),
);
const segmentsPage = lazy(() =>
  import('../areas/dmp/SegmentsPage').then((m) => ({ default: m.SegmentsPage })),
);
const segmentPage = lazy(() =>
  import('../areas/dmp/SegmentPage').then((m) => ({ default: m.SegmentPage })),
);
const dmpTraitsPage = lazy(() =>
  import('../areas/dmp/TraitsPage').then((m) => ({ default: m.TraitsPage })),
);
const taxonomyPage = lazy(() =>
  import('../areas/dmp/TaxonomyPage').then((m) => ({ default: m.TaxonomyPage })),
);
const privacyRequestsPage = lazy(() =>
  import('../areas/privacy/PrivacyRequestsPage').then((m) => ({
    default: m.PrivacyRequestsPage,
  })),
);
const lookalikesPage = lazy(() =>
  import('../areas/dmp/LookalikesPage').then((m) => ({ default: m.LookalikesPage })),
);
const mediaPage = lazy(() =>
  import('../areas/dmp/MediaPage').then((m) => ({ default: m.MediaPage })),
);
const dmpDestinationsPage = lazy(() =>
  import('../areas/dmp/DestinationsPage').then((m) => ({ default: m.DestinationsPage })),
);
const tasksPage = lazy(() =>
  import('../areas/crm/TasksPage').then((m) => ({ default: m.TasksPage })),
);
const consentStatsPage = lazy(() =>
  import('../areas/privacy/ConsentStatsPage').then((m) => ({ default: m.ConsentStatsPage })),
);
const privacyRequestPage = lazy(() =>
  import('../areas/privacy/PrivacyRequestPage').then((m) => ({ default: m.PrivacyRequestPage })),
);
const auditLogPage = lazy(() =>
  import('../areas/privacy/AuditLogPage').then((m) => ({ default: m.AuditLogPage })),
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
    id: 'profiles',
    label: 'Profiles',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/profiles',
    routes: [
      { pattern: '/profiles', page: profilesPage },
      { pattern: '/profiles/:id', page: profilePage },
    ],
  },
  {
    id: 'audiences',
    label: 'Audiences',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/audiences',
    routes: [
      { pattern: '/audiences', page: audiencesPage },
      { pattern: '/audiences/new', page: audienceBuilderPage },
      { pattern: '/audiences/:id', page: audiencePage },
    ],
  },
  {
    id: 'computed-traits',
    label: 'Computed traits',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/computed-traits',
    routes: [{ pattern: '/computed-traits', page: computedTraitsPage }],
  },
  {
    id: 'destinations',
    label: 'Destinations',
    group: 'Customer data',
    roles: ['marketer'],
    href: '/destinations',
    routes: [
      { pattern: '/destinations', page: destinationsPage },
      { pattern: '/destinations/:id', page: destinationPage },
    ],
  },
  {
    id: 'insights',
    label: 'Insights',
    group: 'Customer data',
    roles: ['marketer', 'analyst'],
    href: '/insights',
    routes: [{ pattern: '/insights', page: insightsPage }],
  },
  {
    id: 'predictions',
    label: 'Prediction quality',
    group: 'Customer data',
    roles: ['marketer', 'analyst'],
    href: '/predictions',
    routes: [{ pattern: '/predictions', page: predictionsPage }],
  },
  {
    id: 'board',
    label: 'Pipeline board',
    group: 'Sales and support',
    roles: ['sales'],
    href: '/pipeline',
    routes: [{ pattern: '/pipeline', page: boardPage }],
  },
  {
    id: 'sales-reports',
    label: 'Sales reports',
    group: 'Sales and support',
    roles: ['sales', 'analyst'],
    href: '/sales-reports',
    routes: [{ pattern: '/sales-reports', page: reportsPage }],
  },
  {
    id: 'contacts',
    label: 'Contacts',
    group: 'Sales and support',
    roles: ['sales', 'support', 'marketer'],
    href: '/contacts',
    routes: [
      { pattern: '/contacts', page: contactsPage },
      { pattern: '/contacts/:id', page: contactPage },
    ],
  },
  {
    id: 'companies',
    label: 'Companies',
    group: 'Sales and support',
    roles: ['sales', 'support', 'marketer'],
    href: '/companies',
    routes: [
      { pattern: '/companies', page: companiesPage },
      { pattern: '/companies/:id', page: companyPage },
    ],
  },
  {
    id: 'deals',
    label: 'Deals',
    group: 'Sales and support',
    roles: ['sales'],
    href: '/deals',
    routes: [
      { pattern: '/deals', page: dealsPage },
      { pattern: '/deals/:id', page: dealPage },
    ],
  },
  {
    id: 'tickets',
    label: 'Tickets',
    group: 'Sales and support',
    roles: ['support'],
    href: '/tickets',
    routes: [
      { pattern: '/tickets', page: ticketsPage },
      { pattern: '/tickets/:id', page: ticketPage },
    ],
  },
  {
    id: 'tasks',
    label: 'Tasks',
    group: 'Sales and support',
    roles: ['sales'],
    href: '/tasks',
    routes: [{ pattern: '/tasks', page: tasksPage }],
  },
  {
    id: 'ticket-queue',
    label: 'Ticket queue',
    group: 'Sales and support',
    roles: ['support'],
    href: '/ticket-queue',
    routes: [{ pattern: '/ticket-queue', page: ticketQueuePage }],
  },
  {
    id: 'duplicates',
    label: 'Duplicates',
    group: 'Sales and support',
    roles: ['marketer', 'sales', 'support'],
    href: '/duplicates',
    routes: [{ pattern: '/duplicates', page: duplicatesPage }],
  },
  {
    id: 'segments',
    label: 'Segments',
    group: 'Advertising',
    roles: ['advertiser', 'analyst'],
    href: '/advertising/segments',
    routes: [
      { pattern: '/advertising/segments', page: segmentsPage },
      { pattern: '/advertising/segments/:id', page: segmentPage },
    ],
  },
  {
    id: 'dmp-traits',
    label: 'Traits',
    group: 'Advertising',
    roles: ['advertiser'],
    href: '/advertising/traits',
    routes: [{ pattern: '/advertising/traits', page: dmpTraitsPage }],
  },
  {
    id: 'lookalikes',
    label: 'Lookalikes',
    group: 'Advertising',
    roles: ['advertiser'],
    href: '/advertising/lookalikes',
    routes: [{ pattern: '/advertising/lookalikes', page: lookalikesPage }],
  },
  {
    id: 'campaign-performance',
    label: 'Campaign performance',
    group: 'Advertising',
    roles: ['advertiser', 'analyst'],
    href: '/advertising/campaigns',
    routes: [{ pattern: '/advertising/campaigns', page: mediaPage }],
  },
  {
    id: 'export-destinations',
    label: 'Export destinations',
    group: 'Advertising',
    roles: ['advertiser'],
    href: '/advertising/destinations',
    routes: [{ pattern: '/advertising/destinations', page: dmpDestinationsPage }],
  },
  {
    id: 'taxonomy',
    label: 'Taxonomy',
    group: 'Advertising',
    roles: ['advertiser', 'analyst'],
    href: '/advertising/taxonomy',
    routes: [{ pattern: '/advertising/taxonomy', page: taxonomyPage }],
  },
  {
    id: 'privacy-requests',
    label: 'Privacy requests',
    group: 'Administration',
    roles: [],
    href: '/privacy',
    routes: [
      { pattern: '/privacy', page: privacyRequestsPage },
      { pattern: '/privacy/requests/:id', page: privacyRequestPage },
    ],
  },
  {
    id: 'consent-stats',
    label: 'Consent',
    group: 'Administration',
    roles: ['marketer'],
    href: '/privacy/consents',
    routes: [{ pattern: '/privacy/consents', page: consentStatsPage }],
  },
  {
    id: 'audit-log',
    label: 'Audit log',
    group: 'Administration',
    roles: [],
    href: '/privacy/audit',
    routes: [{ pattern: '/privacy/audit', page: auditLogPage }],
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
