/**
 * The CRM's public face: what other contexts (and `stack/`) may import. Everything else under
 * `crm/` is internal and may change shape freely.
 */

/**
 * Who may read or write each object type, whether a role may receive personal data, and a
 * role's owner-based visibility (whether a record's owner is within it).
 */
export {
  type CrmAction,
  can,
  canSeePii,
  inScope,
  type VisibilityScope,
  visibilityOf,
} from './access.js';
/** Associates two existing records (v4 semantics: labels plus the default association). */
export { associateRecords, listAssociations } from './associations/association.service.js';
/** The HubSpot-defined association kinds between two object types. */
export { builtInKinds, defaultKind } from './associations/association-types.js';
/** The CRM change feed: every record write, in commit order, for automation and timelines. */
export type { ChangeKind, CrmChange, ValueChange } from './changes/change.js';
export { crmChangesSince } from './changes/change.repository.js';
/** The index rows a record's values produce (the layout search relies on); used by loaders. */
export { countDeltas, indexRowsFor, timeRows } from './objects/index-rows.js';
/** HubSpot's merge: the primary record absorbs the other, which then resolves to it. */
export { mergeRecords } from './objects/merge.service.js';
/** A CRM record and who acts on it. */
export type { Actor, CrmRecord } from './objects/object.js';
/** Record operations: the same validation, rules and indexing as the HTTP API. */
export {
  archiveRecord,
  createRecord,
  getRecord,
  listRecords,
  updateRecord,
} from './objects/object.service.js';
/** The object types, HubSpot's type ids, and parsing a type from a path segment. */
export {
  type ObjectType,
  objectTypeId,
  objectTypes,
  resolveObjectType,
} from './objects/object-types.js';
/** Owners (Triad users in HubSpot's owner shape), teams, and owner-based visibility. */
export {
  getOwner,
  getTeam,
  listOwners,
  type Owner,
  type Team,
} from './owners/owner.service.js';
/** Pipelines with their stages, and which stage closes a deal as won. */
export { isWonStage, type Pipeline } from './pipelines/pipeline.js';
export { loadPipelines } from './pipelines/pipeline.service.js';
/** Property definitions and HubSpot's lifecycle stages. */
export type { PropertyDef, PropertyType } from './properties/property.js';
export {
  lifecycleStages,
  standardProperties as standardPropertyDefs,
} from './properties/standard-properties.js';
/** HubSpot-style search (filter groups, sorts, query) with keyset paging and no result cap. */
export type { SearchRequest } from './search/search.js';
export { type SearchPage, searchRecords } from './search/search.service.js';
/**
 * Ticket SLA transitions (warning / breach of first response or resolution) recorded by the
 * SLA clock, oldest first after a given id: what workflows trigger on.
 */
export { type SlaEvent, slaEventsSince } from './sla/sla.service.js';
/** The workflow engine: one pass (the periodic job), and events from other features. */
export {
  committedPrefix,
  type EngineDeps,
  runWorkflowsOnce,
  triggerWorkflows,
} from './workflows/workflow.engine.js';
export type { ExternalEvent } from './workflows/workflow.triggers.js';
