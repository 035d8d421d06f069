import { describe, expect, it } from 'vitest';
import { dataLabels, describeConflicts, forbidden, labelConflicts } from './labels.js';

describe('data export controls', () => {
  it.each([
    ['no_pii_link', 'pii_linked'],
    ['no_offsite_targeting', 'offsite_targeting'],
    ['no_onsite_targeting', 'onsite_targeting'],
  ] as const)('%s forbids %s and nothing else', (data, destination) => {
    const traits = new Map([['trt_a', [data]]]);
    expect(labelConflicts(traits, [destination])).toEqual([
      { dataLabel: data, destinationLabel: destination, traitIds: ['trt_a'] },
    ]);
    const others = Object.values(forbidden).filter((l) => l !== destination);
    expect(labelConflicts(traits, others)).toEqual([]);
  });

  it('names every trait carrying a conflicting label, and every pair', () => {
    const traits = new Map<string, string[]>([
      ['trt_b', ['no_pii_link', 'no_offsite_targeting']],
      ['trt_a', ['no_pii_link']],
      ['trt_c', []],
    ]);
    const conflicts = labelConflicts(traits, ['pii_linked', 'offsite_targeting']);
    expect(conflicts.map((c) => [c.dataLabel, c.traitIds])).toEqual([
      ['no_pii_link', ['trt_a', 'trt_b']],
      ['no_offsite_targeting', ['trt_b']],
    ]);
    expect(describeConflicts(conflicts)).toContain(
      'data label no_pii_link (trait trt_a, trt_b) forbids destination label pii_linked',
    );
  });

  it('has a forbidden destination label for every data label', () => {
    for (const label of dataLabels) expect(forbidden[label]).toBeTruthy();
  });
});
