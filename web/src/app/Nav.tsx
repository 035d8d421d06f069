import type { Role } from '../api/types';
import { type AreaGroup, areasFor } from './areas';
import { Link } from './router';

interface NavProps {
  role: Role;
  path: string;
  open: boolean;
  current: string | undefined;
}

const groupId = (group: AreaGroup) => `nav-${group.toLowerCase().replaceAll(' ', '-')}`;

/** The areas this role may use, grouped; nothing the API would refuse is offered. */
export function Nav({ role, path, open, current }: NavProps) {
  const visible = areasFor(role);
  const groups = new Map<AreaGroup, typeof visible>();
  for (const area of visible) groups.set(area.group, [...(groups.get(area.group) ?? []), area]);
  return (
    <nav id="primary-nav" aria-label="Main" className={open ? 'nav open' : 'nav'}>
      <ul>
        <li>
          <Link to="/" aria-current={path === '/' ? 'page' : undefined}>
            Home
          </Link>
        </li>
      </ul>
      {[...groups].map(([group, items]) => (
        <div key={group} className="nav-group">
          <h2 id={groupId(group)}>{group}</h2>
          <ul aria-labelledby={groupId(group)}>
            {items.map((area) => (
              <li key={area.id}>
                <Link to={area.href} aria-current={current === area.id ? 'page' : undefined}>
                  {area.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
