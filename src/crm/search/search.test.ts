import { describe, expect, it } from 'vitest';
import { standardProperties } from '../properties/standard-properties.js';
import { parseSearch } from './search.js';

const schema = { type: 'deals' as const, defs: standardProperties('deals'), archived: new Map() };

describe('parseSearch', () => {
  it.each([
    [
      { propertyName: 'amount', operator: 'GT', value: '10' },
      { kind: 'value', column: 'v_num', op: 'gt', values: [10] },
      false,
    ],
    [
      { propertyName: 'dealname', operator: 'EQ', value: 'Big Deal' },
      { kind: 'value', column: 'v_text', op: 'eq', values: ['big deal'] },
      false,
    ],
    [{ propertyName: 'dealname', operator: 'NEQ', value: 'x' }, { kind: 'value', op: 'eq' }, true],
    [
      {
        propertyName: 'closedate',
        operator: 'BETWEEN',
        value: '2026-01-01',
        highValue: '1767312000000',
      },
      { kind: 'value', op: 'between', values: [1767225600000, 1767312000000] },
      false,
    ],
    [
      { propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: '0' },
      { kind: 'value', property: 'lastmodifieddate' },
      false,
    ],
    [
      { propertyName: 'hs_object_id', operator: 'IN', values: ['1', '2'] },
      { kind: 'id', op: 'in', values: [1, 2] },
      false,
    ],
    [
      { propertyName: 'dealname', operator: 'CONTAINS_TOKEN', value: 'Big' },
      { kind: 'token', token: 'big', prefix: false },
      false,
    ],
    [
      { propertyName: 'description', operator: 'CONTAINS_TOKEN', value: '*renewal*' },
      { kind: 'like', pattern: '%renewal%' },
      false,
    ],
    [
      { propertyName: 'pipeline', operator: 'NOT_HAS_PROPERTY' },
      { kind: 'has', property: 'pipeline' },
      true,
    ],
    [{ propertyName: 'createdate', operator: 'HAS_PROPERTY' }, { kind: 'always' }, false],
  ])('%j', (filter, probe, negated) => {
    const parsed = parseSearch(schema, { filterGroups: [{ filters: [filter] }] });
    expect(parsed.groups[0]?.[0]).toMatchObject({ negated, probe });
  });

  it('adds query words to every group and an empty group matches all', () => {
    const parsed = parseSearch(schema, {
      filterGroups: [
        { filters: [] },
        { filters: [{ propertyName: 'amount', operator: 'GT', value: 1 }] },
      ],
      query: 'Acme renewal',
    });
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.map((c) => c.probe)).toMatchObject([
      { kind: 'token', token: 'acme', prefix: true },
      { kind: 'token', token: 'renewal', prefix: true },
    ]);
  });

  it('reads sorts as objects or "-name" strings, and caps the limit', () => {
    expect(parseSearch(schema, { sorts: ['-amount'], limit: 500 })).toMatchObject({
      sort: { property: 'amount', column: 'v_num', descending: true },
      limit: 200,
    });
    expect(parseSearch(schema, { sorts: [{ propertyName: 'hs_object_id' }] }).sort.column).toBe(
      'id',
    );
  });
});
