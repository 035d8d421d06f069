import type { Role } from '../../access/roles.js';
import { lifecycleStages } from '../properties/standard-properties.js';

/**
 * Lifecycle stages only move forward (subscriber -> lead -> ... -> evangelist -> other), as
 * HubSpot enforces; moving back or clearing the stage is an admin's decision. Returns why a
 * move is refused, or undefined when it is allowed.
 */
export function lifecycleMoveError(
  from: string | undefined,
  to: string | null,
  role: Role,
): string | undefined {
  if (from === undefined || from === to || role === 'admin') return undefined;
  if (to === null) return `only an admin can clear the lifecycle stage (now ${from})`;
  const order = lifecycleStages as readonly string[];
  if (order.indexOf(to) < order.indexOf(from)) {
    return `the lifecycle stage only moves forward: ${from} -> ${to} needs an admin`;
  }
  return undefined;
}
