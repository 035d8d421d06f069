import type { Role } from '../api/types';
import type { Area } from '../app/areas';
import { Link } from '../app/router';

export function NotFoundPage() {
  return (
    <div className="stack">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/">Go to the home page</Link>.
      </p>
    </div>
  );
}

/** Shown instead of calling an API the role would be refused. */
export function NoAccessPage({ area, role }: { area: Area; role: Role }) {
  return (
    <div className="stack">
      <h1>{area.label}</h1>
      <p className="notice">
        The {role} role may not use {area.label}. An administrator can change your role.
      </p>
    </div>
  );
}
