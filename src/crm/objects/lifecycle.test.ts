import { describe, expect, it } from 'vitest';
import type { Role } from '../../access/roles.js';
import { lifecycleMoveError } from './lifecycle.js';

describe('lifecycleMoveError', () => {
  it.each([
    [undefined, 'customer', 'sales', true],
    ['lead', 'customer', 'sales', true],
    ['lead', 'lead', 'sales', true],
    ['customer', 'other', 'sales', true],
    ['customer', 'lead', 'sales', false],
    ['evangelist', 'subscriber', 'support', false],
    ['lead', null, 'sales', false],
    ['customer', 'lead', 'admin', true],
    ['lead', null, 'admin', true],
  ] as [string | undefined, string | null, Role, boolean][])(
    '%s -> %s as %s: allowed %s',
    (from, to, role, allowed) => {
      expect(lifecycleMoveError(from, to, role) === undefined).toBe(allowed);
    },
  );
});
