import { describe, expect, it } from 'vitest';
import type { Role } from '../access/roles.js';
import { can, canSeePii } from './access.js';
import { toWire } from './objects/object.js';
import type { ObjectType } from './objects/object-types.js';
import { standardProperties } from './properties/standard-properties.js';

describe('per-type access', () => {
  it.each([
    ['sales', 'deals', 'write', true],
    ['sales', 'notes', 'write', true],
    ['sales', 'tickets', 'read', false],
    ['support', 'tickets', 'write', true],
    ['support', 'contacts', 'read', true],
    ['support', 'contacts', 'write', false],
    ['marketer', 'companies', 'read', true],
    ['marketer', 'deals', 'read', false],
    ['analyst', 'contacts', 'read', false],
    ['advertiser', 'companies', 'read', false],
    ['admin', 'line_items', 'write', true],
  ] as [Role, ObjectType, 'read' | 'write', boolean][])(
    '%s %s %s -> %s',
    (role, type, action, ok) => {
      expect(can(role, type, action)).toBe(ok);
    },
  );
});

describe('field-level PII filter', () => {
  const schema = {
    type: 'contacts' as const,
    defs: standardProperties('contacts'),
    archived: new Map(),
  };
  const record = {
    id: 7,
    type: 'contacts' as const,
    properties: {
      email: 'a@b.io',
      firstname: 'A',
      phone: '1234',
      lifecyclestage: 'lead',
      jobtitle: 'CEO',
    },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    archived: false,
    archivedAt: null,
    mergedInto: null,
  };
  const names = [
    'email',
    'firstname',
    'lastname',
    'phone',
    'lifecyclestage',
    'jobtitle',
    'hs_object_id',
  ];

  it('leaves personal data out entirely for roles that may not see it', () => {
    expect(canSeePii('analyst')).toBe(false);
    const wire = toWire(record, schema, names, 'analyst');
    expect(Object.keys(wire.properties).sort()).toEqual([
      'hs_object_id',
      'jobtitle',
      'lifecyclestage',
    ]);
  });

  it('keeps it for sales', () => {
    const wire = toWire(record, schema, names, 'sales');
    expect(wire.properties).toMatchObject({
      email: 'a@b.io',
      firstname: 'A',
      lastname: null,
      phone: '1234',
    });
  });
});
