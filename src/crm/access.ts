import type { Principal, Role } from '../access/roles.js';
import { AppError } from '../kernel/errors.js';
import { activityTypes, type ObjectType } from './objects/object-types.js';

/**
 * Who may read and write each object type. Routes are parameterised by object type, so the
 * route declaration admits every role that may use some type and this table decides per type.
 * `admin` passes everything.
 */
export type CrmAction = 'read' | 'write';

const salesTypes: readonly ObjectType[] = [
  'contacts',
  'companies',
  'deals',
  'products',
  'line_items',
  ...activityTypes,
];

function rolesFor(type: ObjectType, action: CrmAction): readonly Role[] {
  const roles: Role[] = [];
  if (salesTypes.includes(type)) roles.push('sales');
  if (type === 'tickets') roles.push('support');
  if (action === 'read' && (type === 'contacts' || type === 'companies')) {
    roles.push('support', 'marketer');
  }
  return roles;
}

export function can(role: Role, type: ObjectType, action: CrmAction): boolean {
  return role === 'admin' || rolesFor(type, action).includes(role);
}

export function assertCan(principal: Principal, type: ObjectType, action: CrmAction): void {
  if (!can(principal.role, type, action)) {
    throw new AppError('forbidden', `The ${principal.role} role may not ${action} ${type}`);
  }
}

/** Roles of the record routes, as declared on them (the union over object types). */
export const recordReaders: Role[] = ['sales', 'support', 'marketer'];
export const recordWriters: Role[] = ['sales', 'support'];

/**
 * Roles that may receive personal data. Any other role that is ever allowed to read records
 * gets them with every PII property (email, phone, names...) removed.
 */
const piiRoles: readonly Role[] = ['admin', 'sales', 'support', 'marketer'];

export function canSeePii(role: Role): boolean {
  return piiRoles.includes(role);
}

/**
 * Owner-based visibility (own / team / all, set per role by an admin): the record reads turn
 * a scope into an `owner_id` condition (the column is indexed per type).
 */
export {
  inScope,
  scopeOf as visibilityOf,
  type VisibilityScope,
} from './owners/owner.service.js';
