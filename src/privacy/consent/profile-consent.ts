import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';

/** What consent is asked for. Activation paths name the purpose they serve. */
export const consentPurposes = [
  'analytics',
  'personalization',
  'advertising',
  'profiling',
  'marketing',
  'sale_of_data',
] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

/** `*` means every channel. */
export const consentChannels = ['*', 'email', 'sms', 'phone', 'push', 'web', 'ads'] as const;
export type ConsentChannel = (typeof consentChannels)[number];

export interface ConsentSubject {
  type: string;
  value: string;
}

export interface ConsentDecision {
  purpose: ConsentPurpose;
  channel: ConsentChannel;
  granted: boolean;
  /** Where it came from: `api`, `event`, `tcf`, `gpp`, `crm`, `import`... */
  source: string;
  recordedAt: string;
  evidence?: string | undefined;
}

/**
 * Records a decision for one identifier. History keeps every decision; the current table keeps
 * the newest by `recordedAt`, so a late-arriving older decision never overrides a newer one.
 */
export async function recordConsent(
  db: Kysely<DB>,
  subject: ConsentSubject,
  decision: ConsentDecision,
): Promise<void> {
  const row = {
    subject_type: subject.type,
    subject_value: subject.value,
    purpose: decision.purpose,
    channel: decision.channel,
    granted: decision.granted ? 1 : 0,
    source: decision.source,
    recorded_at: decision.recordedAt,
    evidence: decision.evidence ?? null,
  };
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('privacy_consent_history').values(row).execute();
    await tx
      .insertInto('privacy_consents')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['subject_type', 'subject_value', 'purpose', 'channel'])
          .doUpdateSet({
            granted: row.granted,
            source: row.source,
            recorded_at: row.recorded_at,
            evidence: row.evidence,
          })
          .where('privacy_consents.recorded_at', '<=', row.recorded_at),
      )
      .execute();
  });
}

/** The newest decision per purpose and channel across the given identifiers (one person). */
export async function consentsFor(
  db: Kysely<DB>,
  subjects: ConsentSubject[],
): Promise<ConsentDecision[]> {
  if (subjects.length === 0) return [];
  const rows = await db
    .selectFrom('privacy_consents')
    .selectAll()
    .where((eb) =>
      eb.or(
        subjects.map((s) =>
          eb.and([eb('subject_type', '=', s.type), eb('subject_value', '=', s.value)]),
        ),
      ),
    )
    .execute();
  return newestDecisions(rows);
}

/**
 * The newest decision per purpose and channel among stored rows (of one person's identifiers),
 * sorted by purpose then channel.
 */
export function newestDecisions(
  rows: readonly {
    purpose: string;
    channel: string;
    granted: number;
    source: string;
    recorded_at: string;
    evidence?: string | null;
  }[],
): ConsentDecision[] {
  const newest = new Map<string, ConsentDecision>();
  for (const row of rows) {
    const key = `${row.purpose}\u0000${row.channel}`;
    const seen = newest.get(key);
    if (seen && seen.recordedAt >= row.recorded_at) continue;
    newest.set(key, {
      purpose: row.purpose as ConsentPurpose,
      channel: row.channel as ConsentChannel,
      granted: row.granted === 1,
      source: row.source,
      recordedAt: row.recorded_at,
      evidence: row.evidence ?? undefined,
    });
  }
  return [...newest.values()].sort((a, b) =>
    a.purpose === b.purpose
      ? a.channel.localeCompare(b.channel)
      : a.purpose.localeCompare(b.purpose),
  );
}

/**
 * Whether the decisions allow a purpose on a channel. A channel-specific decision overrides the
 * purpose-wide one; with no decision at all the answer is no (opt-in by default).
 */
export function consentAllows(
  decisions: ConsentDecision[],
  purpose: ConsentPurpose,
  channel: ConsentChannel = '*',
): boolean {
  const specific = decisions.find((d) => d.purpose === purpose && d.channel === channel);
  if (specific && channel !== '*') return specific.granted;
  const wide = decisions.find((d) => d.purpose === purpose && d.channel === '*');
  return wide?.granted ?? false;
}
