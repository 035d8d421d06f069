import { useSession } from '../api/session';
import { LoginPage } from '../pages/LoginPage';
import { Shell } from './Shell';

/** The session gate: the login form until someone is logged in, then the console. */
export function App() {
  const session = useSession();
  if (session.isPending) {
    return (
      <p className="boot" role="status">
        Loading…
      </p>
    );
  }
  if (session.isError) {
    return (
      <main className="boot" role="alert">
        <h1>Triad cannot be reached</h1>
        <p>{session.error.message}</p>
        <button type="button" onClick={() => session.refetch()}>
          Try again
        </button>
      </main>
    );
  }
  if (!session.data) return <LoginPage />;
  return <Shell me={session.data} />;
}
