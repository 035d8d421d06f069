/**
 * Data export controls (Audience Manager's model). Data carries labels saying what it must not
 * be used for; destinations carry labels saying what they do with the IDs they receive. A
 * segment carries the data labels of every trait its rule names (a NOT counts too: the trait's
 * data decides who is left out). A segment may go to a destination only when no data label
 * forbids one of the destination's labels.
 */

/** Data labels, set on traits (the data source feeding a trait decides them). */
export const dataLabels = ['no_pii_link', 'no_offsite_targeting', 'no_onsite_targeting'] as const;
export type DataLabel = (typeof dataLabels)[number];

/** Destination labels: what the destination does with the IDs. */
export const destinationLabels = ['pii_linked', 'offsite_targeting', 'onsite_targeting'] as const;
export type DestinationLabel = (typeof destinationLabels)[number];

/** Which destination label each data label forbids. */
export const forbidden: Record<DataLabel, DestinationLabel> = {
  // "cannot be tied to personally identifiable information"
  no_pii_link: 'pii_linked',
  // "no off-site targeting"
  no_offsite_targeting: 'offsite_targeting',
  // "no on-site targeting"
  no_onsite_targeting: 'onsite_targeting',
};

export interface LabelConflict {
  dataLabel: DataLabel;
  destinationLabel: DestinationLabel;
  /** The traits carrying the data label. */
  traitIds: string[];
}

/** The conflicts between a segment's traits' labels and a destination's labels. */
export function labelConflicts(
  traitLabels: ReadonlyMap<string, readonly string[]>,
  destination: readonly string[],
): LabelConflict[] {
  const out: LabelConflict[] = [];
  for (const dataLabel of dataLabels) {
    const destinationLabel = forbidden[dataLabel];
    if (!destination.includes(destinationLabel)) continue;
    const traitIds = [...traitLabels]
      .filter(([, labels]) => labels.includes(dataLabel))
      .map(([traitId]) => traitId)
      .sort();
    if (traitIds.length > 0) out.push({ dataLabel, destinationLabel, traitIds });
  }
  return out;
}

/** One sentence naming every conflicting label pair, for problem details and mapping reasons. */
export function describeConflicts(conflicts: readonly LabelConflict[]): string {
  return conflicts
    .map(
      (c) =>
        `data label ${c.dataLabel} (trait ${c.traitIds.join(', ')}) forbids destination label ${c.destinationLabel}`,
    )
    .join('; ');
}
