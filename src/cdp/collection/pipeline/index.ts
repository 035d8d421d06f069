/**
 * The collection pipeline: pure functions that turn a decoded Segment-protocol request body into
 * clean `CollectedEvent`s and `Rejection`s. No I/O, no framework; the HTTP layer decodes the
 * body, resolves the client address and hands both here.
 *
 * Typical use in a route:
 *
 * ```ts
 * const kind = endpointFromPath(request.url);          // 'track' | ... | 'batch' | null
 * const ip = clientIp(socket.remoteAddress, request.headers['x-forwarded-for'], trusted);
 * const { events, rejections } = normalizeBody(body, {
 *   endpointType: kind === 'batch' ? undefined : kind,
 *   receivedAt: clock.now(),
 *   connectionIp: ip ?? undefined,
 * });
 * ```
 */

export {
  applyBatchDefaults,
  type BatchEnvelope,
  checkBatchShape,
  extractWriteKey,
} from './batch.js';
export { campaignStep, utmFromPage } from './campaign.step.js';
export { clientIp, parseAddress } from './client-ip.js';
export { REJECTION_CODES, type RejectionCode } from './codes.js';
export { emailStep, normalizeEmail } from './email.step.js';
export { type EndpointKind, endpointFromPath } from './endpoints.js';
export { type IpOptions, ipStep } from './ip.step.js';
export { parseIsoTimestamp } from './iso-date.js';
export type { JsonObject, JsonValue } from './json.js';
export { DEFAULT_LIMITS, type Limits, resolveLimits } from './limits.js';
export { generateMessageId } from './message-id.js';
export {
  type EventViolations,
  type NormalizeContext,
  type NormalizeResult,
  normalizeBody,
} from './normalize.js';
export { countryFromLocale, phoneStep, toE164 } from './phone.step.js';
export { type SchemaOptions, schemaStep } from './schema.step.js';
export { sizeStep } from './size.step.js';
export { FORBIDDEN_KEYS, structureStep } from './structure.step.js';
export { type TimestampOptions, timestampsStep } from './timestamps.step.js';
export {
  type CompiledPlan,
  PLAN_MODES,
  type PlanAction,
  type PlanCheck,
  type PlanMode,
  type PlanOutcome,
  type PlanViolation,
  trackingPlanStep,
} from './tracking-plan.step.js';
export {
  BODY_INDEX,
  type CollectedEvent,
  EVENT_TYPES,
  type EventType,
  isEventType,
  type Rejection,
  type StepFailure,
  type StepResult,
  type ValidatedMessage,
} from './types.js';
export { PARSED_USER_AGENT_KEY, parseUserAgent, userAgentStep } from './user-agent.step.js';
