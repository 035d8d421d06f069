/**
 * Computed traits, audiences and their activation: the CDP's streaming segmentation.
 *
 * - `audienceConsumer` follows the event log behind the identity graph and keeps computed
 *   traits and real-time audience memberships current, with timers for rolling windows and a
 *   delivery worker for destinations.
 * - The definition language: `parseCondition` (JSON AST), `parseConditionText` and
 *   `formatCondition` (the text form; `parse(format(ast))` equals `ast`).
 * - `recomputeAll` rebuilds every state from history (a full batch recompute);
 *   `recomputeAudience` recomputes one audience's memberships (set-based when it can).
 * - `profileAudienceTraits` reads a profile's computed traits and memberships.
 */
/** The incremental aggregates behind computed traits (predictions evaluate them as of a date). */
export {
  type AggregateEvent,
  applyEvent,
  emptyState,
  prune,
  type TraitSpec,
  type TraitState,
  traitValue,
} from './aggregates.js';
export { audienceRoutes } from './audience.routes.js';
export { createAudience, getAudience, listAudiences } from './audience.service.js';
export type { AudienceTables } from './audience.tables.js';
export { recomputeAll, runAudienceBatch } from './backfill.js';
export { createComputedTrait, profileAudienceTraits } from './computed-trait.service.js';
export type { ComputedTraitDefinition, Condition, Filter } from './definition.js';
export { formatCondition, parseConditionText } from './definition.text.js';
export { previewAudience } from './preview.js';
export { recomputeAudience } from './recompute.js';
export {
  type AudienceConsumer,
  type AudienceConsumerOptions,
  audienceConsumer,
} from './streaming.js';
export { parseComputedTrait, parseCondition } from './validate.js';
