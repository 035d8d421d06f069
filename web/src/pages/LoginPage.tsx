import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { useLogIn } from '../api/session';
import { useTheme } from '../app/theme';

export function LoginPage() {
  const logIn = useLogIn();
  const [theme, toggleTheme] = useTheme();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await logIn(email, password);
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'The e-mail address or password is wrong.'
          : failure instanceof Error
            ? failure.message
            : 'Logging in failed.',
      );
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="row between">
          <h1 id="login-title">
            <img src="/favicon.svg" alt="" width="28" height="28" /> Triad
          </h1>
          <button
            type="button"
            className="ghost"
            onClick={toggleTheme}
            aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          >
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        </div>
        <p className="muted">Log in to the console.</p>
        <label className="field">
          <span>E-mail</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error ? (
          <p role="alert" className="notice error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
