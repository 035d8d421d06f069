import { describe, expect, it } from 'vitest';
import { objectTypes } from '../objects/object-types.js';
import { builtInKinds, defaultKind, firstLabelTypeId } from './association-types.js';

describe('association kinds', () => {
  it.each([
    ['contacts', 'companies', 279, 280],
    ['companies', 'contacts', 280, 279],
    ['deals', 'contacts', 3, 4],
    ['notes', 'tickets', 228, 227],
  ] as const)('%s -> %s uses HubSpot id %i (inverse %i)', (from, to, id, inverse) => {
    expect(defaultKind(from, to)).toMatchObject({ typeId: id, inverseTypeId: inverse });
  });

  it('gives every pair a default kind whose inverse points back, with ids unique per direction', () => {
    const seen = new Map<number, string>();
    for (const from of objectTypes) {
      for (const to of objectTypes) {
        const kind = defaultKind(from, to);
        expect(defaultKind(to, from).inverseTypeId).toBe(kind.typeId);
        const key = `${from}>${to}`;
        expect(seen.get(kind.typeId) ?? key).toBe(key);
        seen.set(kind.typeId, key);
        expect(kind.typeId < firstLabelTypeId || kind.typeId >= 20_000).toBe(true);
      }
    }
  });

  it('adds the Primary label where HubSpot has one', () => {
    expect(builtInKinds('contacts', 'companies').map((k) => k.label)).toEqual([null, 'Primary']);
    expect(builtInKinds('contacts', 'deals').map((k) => k.label)).toEqual([null]);
  });
});
