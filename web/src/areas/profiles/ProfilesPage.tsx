import { type FormEvent, useState } from 'react';
import { Link, navigate, useLocation } from '../../app/router';
import { ErrorNote } from '../../components/ErrorNote';
import { formatTime } from '../../components/format';
import { PageHeader } from '../../components/PageHeader';
import { displayName, useProfileSearch } from './profiles.api';

/** Find a profile by any identifier value (e-mail, user ID, phone, device...) or trait text. */
export function ProfilesPage() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  const found = useProfileSearch(q);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = text.trim();
    navigate(next ? `/profiles?q=${encodeURIComponent(next)}` : '/profiles');
  };

  return (
    <div className="stack">
      <PageHeader
        title="Profiles"
        description="Unified profiles from the identity graph: find one by e-mail, user ID, phone, device or any identifier."
      />
      <search aria-label="Find a profile">
        <form className="card row wrap" onSubmit={submit}>
          <label className="field grow">
            <span>Identifier or trait</span>
            <input
              type="search"
              value={text}
              onChange={(event) => setText(event.target.value)}
              placeholder="ada@example.com, user-42, +33 6…"
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <button type="submit" className="primary">
            Find
          </button>
        </form>
      </search>
      <ErrorNote error={found.error} />
      {found.isFetching && !found.data ? (
        <p className="muted" role="status">
          Searching…
        </p>
      ) : null}
      {found.data && found.data.data.length === 0 ? (
        <p className="notice">Nothing matches “{q}”.</p>
      ) : null}
      {found.data && found.data.data.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Profiles matching {q}</caption>
            <thead>
              <tr>
                <th scope="col">Profile</th>
                <th scope="col">ID</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {found.data.data.map((profile) => (
                <tr key={profile.id}>
                  <td>
                    <Link to={`/profiles/${encodeURIComponent(profile.id)}`}>
                      {displayName(profile)}
                    </Link>
                  </td>
                  <td>
                    <code>{profile.id}</code>
                  </td>
                  <td>{formatTime(profile.firstSeen)}</td>
                  <td>{formatTime(profile.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
