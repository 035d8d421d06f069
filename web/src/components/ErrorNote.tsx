import { ApiError } from '../api/client';

/** An API failure as a sentence a person can act on (the server's detail and its code). */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : 'Something went wrong';
  return (
    <p role="alert" className="notice error">
      {message}
      {error instanceof ApiError && error.code !== 'unknown' ? (
        <span className="muted"> ({error.code})</span>
      ) : null}
    </p>
  );
}
