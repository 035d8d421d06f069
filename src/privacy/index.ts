/**
 * The privacy model shared by every context: consent per purpose and channel, data subject
 * requests (access, erase, suppress) acting on every store, retention policies, and the audit
 * log of personal-data access.
 */

/** Appends to the audit log (for writes of personal data outside HTTP routes). */
export { appendAudit } from './audit/audit.repository.js';
/** Consent from events' `context.consent` into the consent store (an event-log consumer). */
export { consentConsumer, consentConsumerName } from './consent/consent.consumer.js';
/** Decisions a TC string, a GPP string or an event's `context.consent` makes. */
export {
  decisionsFromContextConsent,
  decisionsFromGppString,
  decisionsFromTcString,
  type PurposeDecision,
} from './consent/consent-strings.js';
export {
  type ConsentChannel,
  type ConsentDecision,
  type ConsentPurpose,
  type ConsentSubject,
  consentAllows,
  consentChannels,
  consentPurposes,
  consentsFor,
  recordConsent,
} from './consent/profile-consent.js';
/** Stores taking part in access and erasure; a new store registers one in `participants.ts`. */
export type { ErasureOutcome, Participant, PrivacyDeps } from './requests/participant.js';
export { participants } from './requests/participants.js';
/** Data subject requests, for the CLI and tests: file, run, read. */
export {
  accessDocument,
  createPrivacyRequest,
  getPrivacyRequest,
  processPrivacyRequest,
} from './requests/request.service.js';
export type { Subject } from './requests/subject.js';
/** The suppression list the ingestion pipeline checks. */
export { hasSuppressions, isSuppressed, loadSuppressions } from './requests/suppression.js';
/** Retention of CDP raw events (the DMP's is its own; the CRM keeps records until erased). */
export { enforceRetention, listRetention } from './retention/retention.service.js';
