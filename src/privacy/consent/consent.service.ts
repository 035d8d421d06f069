import type { Kysely } from 'kysely';
import { findProfileId, identifiersOf } from '../../cdp/profiles/index.js';
import { iso } from '../../kernel/clock.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import {
  decisionsFromGppString,
  decisionsFromTcString,
  type PurposeDecision,
} from './consent-strings.js';
import {
  type ConsentDecision,
  type ConsentSubject,
  consentsFor,
  recordConsent,
} from './profile-consent.js';

interface ConsentDeps {
  db: Kysely<DB>;
  clock: { now(): Date };
}

export interface ConsentInput {
  decisions?:
    | (PurposeDecision & { recordedAt?: string | undefined; evidence?: string | undefined })[]
    | undefined;
  tcString?: string | undefined;
  gppString?: string | undefined;
  gppSid?: number[] | undefined;
  /** Where the decision came from; `api` by default. */
  source?: string | undefined;
}

export interface ConsentView {
  /** The identifiers whose decisions make up the person's consent. */
  subjects: ConsentSubject[];
  current: ConsentDecision[];
  history: (ConsentDecision & { subject: ConsentSubject })[];
}

const historyLimit = 200;

/**
 * The identifiers a key names: a `type:value` identifier stands for itself and, when the
 * identity graph knows it, for every identifier of its profile; a profile ID for its profile's
 * identifiers. Consent may be given before any event arrives, so an unknown `type:value` is
 * still a subject.
 */
async function subjectsOf(deps: ConsentDeps, key: string): Promise<ConsentSubject[]> {
  const trimmed = key.trim();
  const at = trimmed.indexOf(':');
  const isProfile = trimmed.startsWith('prof_') || trimmed.startsWith('profile_id:');
  if (!isProfile && at <= 0) {
    throw new AppError('bad_request', `"${key}" is not an identifier type:value or a profile ID`);
  }
  const own: ConsentSubject | undefined = isProfile
    ? undefined
    : {
        type: trimmed.slice(0, at),
        value:
          trimmed.slice(0, at) === 'email'
            ? trimmed.slice(at + 1).toLowerCase()
            : trimmed.slice(at + 1),
      };
  let profileId: string | undefined;
  try {
    profileId = await findProfileId(deps, trimmed);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'not_found') || isProfile) throw error;
  }
  const subjects = own ? [own] : [];
  if (profileId) {
    for (const row of await identifiersOf(deps.db, profileId)) {
      if (own && row.type === own.type && row.value === own.value) continue;
      subjects.push({ type: row.type, value: row.value });
    }
  }
  return subjects;
}

/** Where decisions set for a profile ID are recorded: its most stable identifier. */
function primaryOf(subjects: ConsentSubject[]): ConsentSubject {
  const preferred = ['user_id', 'email', 'phone', 'anonymous_id'];
  for (const type of preferred) {
    const found = subjects.find((s) => s.type === type);
    if (found) return found;
  }
  const first = subjects[0];
  if (!first) throw new AppError('conflict', 'The profile has no identifier to record consent on');
  return first;
}

/** Records decisions (explicit, or decoded from TCF/GPP strings) and returns the new state. */
export async function setConsents(
  deps: ConsentDeps,
  key: string,
  input: ConsentInput,
): Promise<ConsentView> {
  const subjects = await subjectsOf(deps, key);
  const target =
    key.trim().startsWith('prof_') || key.trim().startsWith('profile_id:')
      ? primaryOf(subjects)
      : (subjects[0] as ConsentSubject);
  const now = iso(deps.clock.now());
  const source = input.source ?? 'api';
  const decisions: ConsentDecision[] = [];
  const issues: ErrorDetail[] = [];
  for (const d of input.decisions ?? []) {
    decisions.push({
      purpose: d.purpose,
      channel: d.channel,
      granted: d.granted,
      source,
      recordedAt: d.recordedAt ?? now,
      evidence: d.evidence,
    });
  }
  if (input.tcString !== undefined) {
    const tcf = decisionsFromTcString(input.tcString);
    if (tcf.ok) {
      for (const d of tcf.decisions) {
        decisions.push({ ...d, source: 'tcf', recordedAt: now, evidence: input.tcString });
      }
    } else issues.push({ field: 'tcString', message: tcf.message });
  }
  if (input.gppString !== undefined) {
    const gpp = decisionsFromGppString(input.gppString, input.gppSid);
    if (gpp.ok) {
      for (const d of gpp.decisions) {
        decisions.push({ ...d, source: 'gpp', recordedAt: now, evidence: input.gppString });
      }
    } else issues.push({ field: 'gppString', message: gpp.message });
  }
  if (issues.length > 0)
    throw new AppError('validation_failed', 'A consent string could not be decoded', issues);
  if (decisions.length === 0) {
    throw new AppError('bad_request', 'Nothing to record: give decisions, tcString or gppString');
  }
  for (const decision of decisions) await recordConsent(deps.db, target, decision);
  return consentView(deps, key);
}

/** The person's current consent (newest decision across their identifiers) and its history. */
export async function consentView(deps: ConsentDeps, key: string): Promise<ConsentView> {
  const subjects = await subjectsOf(deps, key);
  const current = await consentsFor(deps.db, subjects);
  const rows =
    subjects.length === 0
      ? []
      : await deps.db
          .selectFrom('privacy_consent_history')
          .selectAll()
          .where((eb) =>
            eb.or(
              subjects.map((s) =>
                eb.and([eb('subject_type', '=', s.type), eb('subject_value', '=', s.value)]),
              ),
            ),
          )
          .orderBy('id', 'desc')
          .limit(historyLimit)
          .execute();
  return {
    subjects,
    current,
    history: rows.map((r) => ({
      subject: { type: r.subject_type, value: r.subject_value },
      purpose: r.purpose as ConsentDecision['purpose'],
      channel: r.channel as ConsentDecision['channel'],
      granted: r.granted === 1,
      source: r.source,
      recordedAt: r.recorded_at,
      evidence: r.evidence ?? undefined,
    })),
  };
}
