import type { Me } from '../api/types';
import { areasFor } from '../app/areas';
import { Link } from '../app/router';

const blurbs: Record<string, string> = {
  sources: 'Create sources, get their write keys and SDK set-up snippets.',
  events: 'Find stored events by user, anonymous ID, message ID, type or time.',
  rejected: 'See what collection refused and why.',
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
