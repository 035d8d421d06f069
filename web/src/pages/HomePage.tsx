import type { Me } from '../api/types';
import { areasFor } from '../app/areas';
import { Link } from '../app/router';

const blurbs: Record<string, string> = {
  sources: 'Create sources, get their write keys and SDK set-up snippets.',
  events: 'Find stored events by user, anonymous ID, message ID, type or time.',
  rejected: 'See what collection refused and why.',
  profiles: 'Find a person by any identifier: traits, timeline, identity graph and merges.',
  audiences: 'Build audiences with a visual rule editor and a live size estimate.',
  'computed-traits': 'Per-profile aggregates of events, kept current as events stream in.',
  destinations: 'Webhook destinations, their delivery log and dead-letter redrive.',
  board: 'Deals by pipeline stage: drag a card to move it.',
  contacts: 'Contacts with filters and sorts, and each contact’s activity timeline.',
  companies: 'Companies with filters and sorts, and their activity timeline.',
  deals: 'Deals with filters, sorts and the total amount.',
  tickets: 'Support tickets with filters and sorts.',
  duplicates: 'Profiles that look like the same person: merge or dismiss.',
  segments: 'Segments with their reach, confidence intervals and overlaps.',
  'dmp-traits': 'The traits that segments are built from.',
  taxonomy: 'Browse and search the IAB Audience Taxonomy and custom nodes.',
  users: 'Create console users and give them a role.',
  tokens: 'Create and revoke API tokens for scripts and integrations.',
};

/** Where each person starts: the areas of their role, one card each. */
export function HomePage({ me }: { me: Me }) {
  const available = areasFor(me.role);
  return (
    <div className="stack">
      <h1>Welcome{me.name ? `, ${me.name}` : ''}</h1>
      <p className="muted">
        Signed in as {me.email ?? me.id} with the <strong>{me.role}</strong> role.
      </p>
      {available.length === 0 ? (
        <p className="notice">
          This server has no console areas for the {me.role} role yet. The{' '}
          <a href="/docs">API reference</a> lists what the API offers.
        </p>
      ) : (
        <ul className="cards">
          {available.map((area) => (
            <li key={area.id} className="card">
              <h2>
                <Link to={area.href}>{area.label}</Link>
              </h2>
              <p className="muted">{blurbs[area.id] ?? area.group}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
