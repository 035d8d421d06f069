import { applyBatchDefaults, checkBatchShape } from './batch.js';
import { campaignStep } from './campaign.step.js';
import { REJECTION_CODES } from './codes.js';
import { emailStep } from './email.step.js';
import { ipStep } from './ip.step.js';
import { isPlainObject, own } from './json.js';
import { type Limits, resolveLimits } from './limits.js';
import { phoneStep } from './phone.step.js';
import { schemaStep } from './schema.step.js';
import { sizeStep } from './size.step.js';
import { describeError, structureStep } from './structure.step.js';
import { suppressionStep } from './suppression.step.js';
import { timestampsStep } from './timestamps.step.js';
import {
  type CompiledPlan,
  type PlanAction,
  type PlanViolation,
  trackingPlanStep,
} from './tracking-plan.step.js';
import {
  BODY_INDEX,
  type CollectedEvent,
  type EventType,
  type Rejection,
  type StepFailure,
  type StepResult,
} from './types.js';
import { userAgentStep } from './user-agent.step.js';

export interface NormalizeContext {
  /**
   * The type implied by the endpoint (`/v1/track`, `/v1/t`, ...): the body is one message.
   * Absent for `/v1/batch` and `/v1/b`: the body is a batch.
   */
  endpointType?: EventType;
  /** The server clock when the request arrived; becomes every event's `receivedAt`. */
  receivedAt: Date;
  /** The client address (see `clientIp`); fills `context.ip` when the client sent none. */
  connectionIp?: string;
  /** Overrides for `DEFAULT_LIMITS`. */
  limits?: Partial<Limits>;
  /** Source of random IDs for generated messageIds; injectable for tests. */
  randomId?: () => string;
  /** The source's compiled tracking plan; checked last, on the clean event. */
  trackingPlan?: CompiledPlan | undefined;
}

/** The tracking-plan findings of one input item (accepted, stripped or blocked). */
export interface EventViolations {
  index: number;
  messageId: string;
  type: EventType;
  /** The track event name; null for other types. */
  event: string | null;
  action: PlanAction;
  violations: PlanViolation[];
}

export interface NormalizeResult {
  /** Accepted events, in input order. */
  events: CollectedEvent[];
  /** Everything else, in input order; see `Rejection` for `index` and `raw`. */
  rejections: Rejection[];
  /** Tracking-plan findings, in input order; present only when a plan was given. */
  violations?: EventViolations[];
}

/** Enrichment after validation; each takes and returns a whole event. */
const ENRICHMENT_STEPS: readonly ((
  event: CollectedEvent,
  context: NormalizeContext,
) => StepResult<CollectedEvent>)[] = [
  emailStep,
  phoneStep,
  userAgentStep,
  campaignStep,
  (event, context) => ipStep(event, { connectionIp: context.connectionIp }),
  suppressionStep,
];

/**
 * Turns a decoded request body into clean events and rejections. Never throws.
 *
 * With `endpointType` the body is one message of that type (index 0). Without it the body is
 * a batch: its shape is checked with `checkBatchShape`, and its `context`, `integrations` and
 * `sentAt` are applied to each item (see `applyBatchDefaults`). Each message then runs through
 * the steps in order: structure, size, schema, timestamps, email, phone, user agent, campaign,
 * ip, then the tracking plan when one is given. The first step that does not return `ok` decides the message's rejection.
 *
 * Every input item ends up as exactly one event or one rejection. When the body as a whole is
 * unusable (not an object, `batch` not an array or too long) or the call itself is invalid
 * (`receivedAt` not a valid Date), the result is a single rejection with index `BODY_INDEX`.
 */
export function normalizeBody(body: unknown, context: NormalizeContext): NormalizeResult {
  const events: CollectedEvent[] = [];
  const rejections: Rejection[] = [];
  const sink: NormalizeResult = context.trackingPlan
    ? { events, rejections, violations: [] }
    : { events, rejections };
  try {
    if (!(context.receivedAt instanceof Date) || Number.isNaN(context.receivedAt.getTime())) {
      rejections.push(
        bodyRejection(body, {
          kind: 'dlq',
          code: REJECTION_CODES.invalidCall,
          reason: 'receivedAt must be a valid Date',
        }),
      );
      return sink;
    }
    const limits = resolveLimits(context.limits);
    if (context.endpointType !== undefined) {
      collect(runPipeline(body, body, 0, context, limits), sink);
      return sink;
    }
    const shape = checkBatchShape(body, limits);
    if (shape.kind !== 'ok') {
      rejections.push(bodyRejection(body, shape));
      return sink;
    }
    shape.value.items.forEach((item, index) => {
      const outcome = safely(item, index, () =>
        runPipeline(applyBatchDefaults(item, shape.value), item, index, context, limits),
      );
      collect(outcome, sink);
    });
    return sink;
  } catch (error) {
    // Unreachable by design (every item is guarded); kept so the contract holds regardless.
    return {
      events: [],
      rejections: [
        bodyRejection(body, {
          kind: 'dlq',
          code: REJECTION_CODES.internalError,
          reason: describeError(error),
        }),
      ],
    };
  }
}

type Outcome =
  | { kind: 'event'; event: CollectedEvent; violations?: EventViolations }
  | { kind: 'rejection'; rejection: Rejection; violations?: EventViolations };

function collect(outcome: Outcome, sink: NormalizeResult): void {
  if (outcome.kind === 'event') sink.events.push(outcome.event);
  else sink.rejections.push(outcome.rejection);
  if (outcome.violations) sink.violations?.push(outcome.violations);
}

/** One message through every step. `raw` is the item as received, kept on rejections. */
function runPipeline(
  message: unknown,
  raw: unknown,
  index: number,
  context: NormalizeContext,
  limits: Limits,
): Outcome {
  return safely(raw, index, () => {
    const reject = (failure: StepFailure, messageId: string | null): Outcome => ({
      kind: 'rejection',
      rejection: { index, messageId, ...failure, raw },
    });
    const clientId = clientMessageId(raw, limits);

    const measured = { bytes: 0 };
    const structured = structureStep(message, limits, measured);
    if (structured.kind !== 'ok') return reject(structured, clientId);
    const sized = sizeStep(structured.value, limits, measured.bytes);
    if (sized.kind !== 'ok') return reject(sized, clientId);
    const validated = schemaStep(sized.value, {
      endpointType: context.endpointType,
      limits,
      randomId: context.randomId,
    });
    if (validated.kind !== 'ok') return reject(validated, clientId);
    const messageId = validated.value.messageId;
    const timed = timestampsStep(validated.value, { receivedAt: context.receivedAt, limits });
    if (timed.kind !== 'ok') return reject(timed, messageId);

    let event = timed.value;
    for (const step of ENRICHMENT_STEPS) {
      const result = step(event, context);
      if (result.kind !== 'ok') return reject(result, messageId);
      event = result.value;
    }
    if (!context.trackingPlan) return { kind: 'event', event };
    const planned = trackingPlanStep(event, context.trackingPlan);
    const found: EventViolations | undefined = planned.action
      ? {
          index,
          messageId,
          type: event.type,
          event: event.event,
          action: planned.action,
          violations: planned.violations,
        }
      : undefined;
    if (planned.result.kind !== 'ok') {
      return { ...reject(planned.result, messageId), ...(found ? { violations: found } : {}) };
    }
    return { kind: 'event', event: planned.result.value, ...(found ? { violations: found } : {}) };
  });
}

/** Runs `work`, turning anything it throws into an `internal_error` rejection. */
function safely(raw: unknown, index: number, work: () => Outcome): Outcome {
  try {
    return work();
  } catch (error) {
    return {
      kind: 'rejection',
      rejection: {
        index,
        messageId: null,
        kind: 'dlq',
        code: REJECTION_CODES.internalError,
        reason: describeError(error),
        raw,
      },
    };
  }
}

/** The client's messageId for a rejection, when it is a string within the limit. */
function clientMessageId(raw: unknown, limits: Limits): string | null {
  try {
    if (!isPlainObject(raw)) return null;
    const id = own(raw, 'messageId');
    return typeof id === 'string' && id !== '' && id.length <= limits.maxMessageIdLength
      ? id
      : null;
  } catch {
    return null;
  }
}

function bodyRejection(body: unknown, failure: StepFailure): Rejection {
  return { index: BODY_INDEX, messageId: null, ...failure, raw: body };
}
