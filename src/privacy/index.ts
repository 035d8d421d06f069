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
