import type { ConsentPurpose } from '../../privacy/index.js';
import type { ObjectType } from '../objects/object-types.js';

export const triggerTypes = [
  'record_created',
  'property_changed',
  'deal_stage_changed',
  'ticket_sla',
  'scheduled',
  'audience_entered',
  'audience_exited',
] as const;
export type TriggerType = (typeof triggerTypes)[number];

export const slaEventKinds = ['sla_warning', 'sla_breach'] as const;
export type SlaEventKind = (typeof slaEventKinds)[number];

export type Trigger =
  | { type: 'record_created'; objectType: ObjectType }
  /** Fires when `property` changes on an update; with `value`, only when it changes to it. */
  | { type: 'property_changed'; objectType: ObjectType; property: string; value?: string }
  | { type: 'deal_stage_changed'; pipeline?: string; stage?: string }
  | { type: 'ticket_sla'; events: SlaEventKind[] }
  | { type: 'scheduled'; cron: string }
  | { type: 'audience_entered' | 'audience_exited'; audienceId: string };

export const conditionOperators = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'is_known',
  'is_unknown',
] as const;
export type ConditionOperator = (typeof conditionOperators)[number];

export interface Condition {
  property: string;
  operator: ConditionOperator;
  value?: string;
}

export const actionTypes = [
  'create_task',
  'update_property',
  'assign_owner',
  'create_record',
  'send_webhook',
  'delay',
  'if_else',
] as const;
export type ActionType = (typeof actionTypes)[number];

/**
 * A step of a workflow. After a step the run goes to `next` when given, ends on `next: null`,
 * and otherwise continues with the following step of the list. `if_else` goes to `ifTrue` or
 * `ifFalse` instead (null or absent: the run ends).
 */
export type Step = { id: string; next?: string | null } & (
  | {
      type: 'create_task';
      subject: string;
      body?: string;
      dueInMinutes?: number;
      priority?: 'LOW' | 'MEDIUM' | 'HIGH';
    }
  | { type: 'update_property'; property: string; value: string | null }
  | { type: 'assign_owner'; userIds?: string[]; teamId?: string }
  | {
      type: 'create_record';
      objectType: ObjectType;
      properties: Record<string, string>;
      associate?: boolean;
    }
  | { type: 'send_webhook'; url: string; consentPurpose?: ConsentPurpose | undefined }
  | { type: 'delay'; minutes: number }
  | {
      type: 'if_else';
      match?: 'all' | 'any';
      conditions: Condition[];
      ifTrue?: string | null;
      ifFalse?: string | null;
    }
);

export interface WorkflowDefinition {
  trigger: Trigger;
  steps: Step[];
}

export interface Workflow {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  trigger: Trigger;
  steps: Step[];
  createdAt: string;
  updatedAt: string;
}

export const runStatuses = ['running', 'waiting', 'completed', 'failed'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** What started a run: a change-feed entry, a schedule, or an event from another feature. */
export type TriggerEvent =
  | { kind: 'change'; changeId: number; changeKind: string; changes: Record<string, unknown> }
  | { kind: 'scheduled'; fireAt: string }
  | { kind: SlaEventKind; ticketId: number }
  | { kind: 'audience_entered' | 'audience_exited'; audienceId: string; contactId?: number };

export interface RunStep {
  stepId: string;
  action: string;
  status: 'ok' | 'retrying' | 'failed' | 'waiting';
  attempt: number;
  output: unknown;
  error: string | null;
  at: string;
}

export interface WorkflowRun {
  id: string;
  workflowId: string;
  version: number;
  status: RunStatus;
  objectType: string | null;
  objectId: string | null;
  trigger: TriggerEvent;
  nextStep: string | null;
  dueAt: string | null;
  error: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  steps?: RunStep[];
}

/** The record type a trigger is about (undefined: scheduled runs have no record). */
export function recordTypeOf(trigger: Trigger): ObjectType | undefined {
  switch (trigger.type) {
    case 'record_created':
    case 'property_changed':
      return trigger.objectType;
    case 'deal_stage_changed':
      return 'deals';
    case 'ticket_sla':
      return 'tickets';
    case 'audience_entered':
    case 'audience_exited':
      return 'contacts';
    case 'scheduled':
      return undefined;
  }
}

/** The id of the step after `index` when the step does not branch. */
export function nextOf(steps: Step[], index: number): string | null {
  const step = steps[index];
  if (!step) return null;
  if (step.next !== undefined) return step.next;
  return steps[index + 1]?.id ?? null;
}
