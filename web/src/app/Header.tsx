import { type FormEvent, useState } from 'react';
import { useLogOut } from '../api/session';
import type { Me } from '../api/types';
import { providersFor } from '../areas/search/providers';
import { Link, navigate, useLocation } from './router';
import { useTheme } from './theme';

interface HeaderProps {
  me: Me;
  menuOpen: boolean;
  onToggleMenu: () => void;
}

export function Header({ me, menuOpen, onToggleMenu }: HeaderProps) {
  const [theme, toggleTheme] = useTheme();
  const logOut = useLogOut();
  const { path, query } = useLocation();
  const [text, setText] = useState(path === '/search' ? (query.get('q') ?? '') : '');

  const search = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    if (q !== '') navigate(`/search?q=${encodeURIComponent(q)}`);
  };

  return (
    <header className="header">
      <button
        type="button"
        className="menu-button"
        aria-expanded={menuOpen}
        aria-controls="primary-nav"
        onClick={onToggleMenu}
      >
        Menu
      </button>
      <Link to="/" className="brand" aria-label="Triad home">
        <img src="/favicon.svg" alt="" width="24" height="24" />
        <span>Triad</span>
      </Link>
      {providersFor(me.role).length > 0 ? (
        <search className="global-search">
          <form onSubmit={search}>
            <label htmlFor="global-search" className="visually-hidden">
              Search by email, user ID, anonymous ID or message ID
            </label>
            <input
              id="global-search"
              type="search"
              placeholder="Search email, user ID, anonymous ID, message ID…"
              value={text}
              onChange={(event) => setText(event.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </form>
        </search>
      ) : (
        <div className="global-search" />
      )}
      <div className="header-actions">
        <button
          type="button"
          className="ghost"
          onClick={toggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <span className="who" title={me.email ?? me.name}>
          <span className="who-name">{me.email ?? me.name ?? me.id}</span>
          <span className="badge">{me.role}</span>
        </span>
        <button type="button" className="ghost" onClick={() => void logOut()}>
          Log out
        </button>
      </div>
    </header>
  );
}
