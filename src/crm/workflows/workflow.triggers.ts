import type { Kysely } from 'kysely';
import type { DB } from '../../storage/schema.js';
import type { CrmChange } from '../changes/change.js';
import { findRecord } from '../objects/object.service.js';
import type { Trigger, TriggerEvent } from './workflow.js';

/** Events other features hand to the engine (SLA clocks, audience membership). */
export type ExternalEvent =
  | { kind: 'sla_warning' | 'sla_breach'; ticketId: number }
  | { kind: 'audience_entered' | 'audience_exited'; audienceId: string; contactId?: number };

/** Where a matching run starts: the record it is about, and what started it. */
export interface Enrollment {
  record: { type: string; id: number } | undefined;
  event: TriggerEvent;
}

const updateKinds = new Set(['updated', 'stage_changed', 'merged']);

/**
 * Whether a change-feed entry starts a run of a workflow with this trigger. A workflow never
 * triggers on its own writes (actor `workflow:<id>`), so an update step cannot loop forever.
 */
export async function matchChange(
  db: Kysely<DB>,
  workflowId: string,
  trigger: Trigger,
  change: CrmChange,
): Promise<Enrollment | undefined> {
  if (change.actor === `workflow:${workflowId}`) return undefined;
  const enrollment: Enrollment = {
    record: { type: change.objectType, id: change.objectId },
    event: {
      kind: 'change',
      changeId: change.id,
      changeKind: change.kind,
      changes: change.changes,
    },
  };
  switch (trigger.type) {
    case 'record_created':
      return change.kind === 'created' && change.objectType === trigger.objectType
        ? enrollment
        : undefined;
    case 'property_changed': {
      if (!updateKinds.has(change.kind) || change.objectType !== trigger.objectType)
        return undefined;
      const value = change.changes[trigger.property];
      if (!value) return undefined;
      return trigger.value === undefined || value.new === trigger.value ? enrollment : undefined;
    }
    case 'deal_stage_changed': {
      // A deal created in a stage has entered it just as one moved there.
      if (
        change.objectType !== 'deals' ||
        (change.kind !== 'stage_changed' && change.kind !== 'created')
      )
        return undefined;
      const stage = change.changes.dealstage;
      if (!stage) return undefined;
      if (trigger.stage !== undefined && stage.new !== trigger.stage) return undefined;
      if (trigger.pipeline !== undefined) {
        const pipeline =
          change.changes.pipeline?.new ??
          (await findRecord(db, 'deals', change.objectId, { archived: true }))?.properties.pipeline;
        if (pipeline !== trigger.pipeline) return undefined;
      }
      return enrollment;
    }
    default:
      return undefined;
  }
}

/** Whether an external event starts a run of a workflow with this trigger. */
export function matchExternal(trigger: Trigger, event: ExternalEvent): Enrollment | undefined {
  switch (event.kind) {
    case 'sla_warning':
    case 'sla_breach':
      if (trigger.type !== 'ticket_sla' || !trigger.events.includes(event.kind)) return undefined;
      return { record: { type: 'tickets', id: event.ticketId }, event };
    case 'audience_entered':
    case 'audience_exited':
      if (trigger.type !== event.kind || trigger.audienceId !== event.audienceId) return undefined;
      return {
        record:
          event.contactId === undefined ? undefined : { type: 'contacts', id: event.contactId },
        event,
      };
  }
}
