export {
  type ContextConsentPurposes,
  normalizeContextConsent,
} from './context-consent.js';
export {
  DMP_PURPOSES,
  type DmpConsentDecision,
  type DmpConsentInput,
  evaluateDmpConsent,
} from './dmp-consent.js';
export {
  type ConsentValue,
  decodeGpp,
  GPP_SECTION_TCF_EU_V2,
  GPP_SECTION_US_NAT,
  GPP_SECTION_USP_V1,
  type GppConsent,
  type GppDecodeResult,
  type OptOutValue,
  type UspV1Section,
  type UsSection,
} from './gpp.js';
export {
  type ConsentDecodeFailure,
  decodeTcf,
  type PublisherRestriction,
  type PublisherRestrictionType,
  RESTRICTION_NOT_ALLOWED,
  RESTRICTION_REQUIRE_CONSENT,
  RESTRICTION_REQUIRE_LI,
  type TcfConsent,
  type TcfDecodeResult,
} from './tcf.js';
