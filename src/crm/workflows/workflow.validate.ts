import type { Kysely } from 'kysely';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import { type ConsentPurpose, consentPurposes } from '../../privacy/index.js';
import type { DB } from '../../storage/schema.js';
import { type ObjectType, resolveObjectType } from '../objects/object-types.js';
import { parseCron } from './cron.js';
import {
  actionTypes,
  conditionOperators,
  nextOf,
  type SlaEventKind,
  type Step,
  slaEventKinds,
  type Trigger,
  triggerTypes,
  type WorkflowDefinition,
} from './workflow.js';
import { checkReferences } from './workflow.references.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 1000): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/** Collects every problem of a definition, each naming its field, then throws them at once. */
export class Problems {
  readonly list: ErrorDetail[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const summary = this.list.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new AppError('validation_failed', `The workflow is not valid: ${summary}`, this.list);
  }
}

function objectTypeAt(value: unknown, field: string, problems: Problems): ObjectType | undefined {
  const type = typeof value === 'string' ? resolveObjectType(value) : undefined;
  if (!type) problems.add(field, `unknown object type ${String(value)}`);
  return type;
}

function parseTrigger(raw: unknown, problems: Problems): Trigger | undefined {
  if (!isObject(raw)) {
    problems.add('trigger', 'must be an object');
    return undefined;
  }
  const type = raw.type;
  switch (type) {
    case 'record_created': {
      const objectType = objectTypeAt(raw.objectType, 'trigger.objectType', problems);
      return objectType && { type, objectType };
    }
    case 'property_changed': {
      const objectType = objectTypeAt(raw.objectType, 'trigger.objectType', problems);
      if (!isText(raw.property, 200)) problems.add('trigger.property', 'a property name is needed');
      if (raw.value !== undefined && typeof raw.value !== 'string')
        problems.add('trigger.value', 'must be a string');
      if (!objectType || !isText(raw.property, 200)) return undefined;
      return {
        type,
        objectType,
        property: raw.property,
        ...(typeof raw.value === 'string' ? { value: raw.value } : {}),
      };
    }
    case 'deal_stage_changed': {
      for (const key of ['pipeline', 'stage'] as const) {
        if (raw[key] !== undefined && !isText(raw[key], 100))
          problems.add(`trigger.${key}`, 'must be a pipeline or stage id');
      }
      return {
        type,
        ...(typeof raw.pipeline === 'string' ? { pipeline: raw.pipeline } : {}),
        ...(typeof raw.stage === 'string' ? { stage: raw.stage } : {}),
      };
    }
    case 'ticket_sla': {
      const events = raw.events ?? [...slaEventKinds];
      if (
        !Array.isArray(events) ||
        events.length === 0 ||
        !events.every((e) => (slaEventKinds as readonly unknown[]).includes(e))
      ) {
        problems.add('trigger.events', `must list ${slaEventKinds.join(' and/or ')}`);
        return undefined;
      }
      return { type, events: events as SlaEventKind[] };
    }
    case 'scheduled': {
      const cron = typeof raw.cron === 'string' ? parseCron(raw.cron) : undefined;
      if (!cron?.ok) {
        problems.add(
          'trigger.cron',
          cron ? `invalid cron: ${cron.message}` : 'a cron expression is needed',
        );
        return undefined;
      }
      return { type, cron: String(raw.cron).trim() };
    }
    case 'audience_entered':
    case 'audience_exited':
      if (!isText(raw.audienceId, 100)) {
        problems.add('trigger.audienceId', 'an audience id is needed');
        return undefined;
      }
      return { type, audienceId: raw.audienceId };
    default:
      problems.add(
        'trigger.type',
        `unknown trigger type ${String(type)}; use one of ${triggerTypes.join(', ')}`,
      );
      return undefined;
  }
}

/** Only the fields a step type defines are kept, so stored definitions carry no stray input. */
function pick(raw: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

const stepRef = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || isText(v, 64);

/** Shape checks of one step; property names are checked later against the schema. */
function parseStep(raw: unknown, at: string, problems: Problems): Step | undefined {
  if (!isObject(raw)) {
    problems.add(at, 'must be an object');
    return undefined;
  }
  if (!isText(raw.id, 64)) problems.add(`${at}.id`, 'a step id (1-64 characters) is needed');
  if (!stepRef(raw.next)) problems.add(`${at}.next`, 'must be a step id or null');
  const base = {
    id: String(raw.id),
    ...(raw.next !== undefined ? { next: raw.next as string | null } : {}),
  };
  const before = problems.list.length;
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) problems.add(`${at}.${field}`, message);
  };
  let step: Step | undefined;
  switch (raw.type) {
    case 'create_task':
      need(isText(raw.subject, 500), 'subject', 'a task subject is needed');
      need(raw.body === undefined || typeof raw.body === 'string', 'body', 'must be text');
      need(
        raw.dueInMinutes === undefined ||
          (Number.isInteger(raw.dueInMinutes) && (raw.dueInMinutes as number) >= 0),
        'dueInMinutes',
        'must be a whole number of minutes',
      );
      need(
        raw.priority === undefined || ['LOW', 'MEDIUM', 'HIGH'].includes(String(raw.priority)),
        'priority',
        'must be LOW, MEDIUM or HIGH',
      );
      step = {
        ...base,
        type: 'create_task',
        subject: String(raw.subject),
        ...pick(raw, ['body', 'dueInMinutes', 'priority']),
      } as Step;
      break;
    case 'update_property':
      need(isText(raw.property, 200), 'property', 'a property name is needed');
      need(
        raw.value === null || typeof raw.value === 'string',
        'value',
        'must be a string or null',
      );
      step = {
        ...base,
        type: 'update_property',
        property: String(raw.property),
        value: (raw.value ?? null) as string | null,
      };
      break;
    case 'assign_owner': {
      const ids = raw.userIds;
      const hasUsers = Array.isArray(ids) && ids.length > 0 && ids.every((u) => isText(u, 64));
      need(
        hasUsers || isText(raw.teamId, 64),
        'userIds',
        'a list of user ids or a teamId is needed',
      );
      step = {
        ...base,
        type: 'assign_owner',
        ...(hasUsers ? { userIds: ids as string[] } : {}),
        ...(isText(raw.teamId, 64) ? { teamId: raw.teamId } : {}),
      };
      break;
    }
    case 'create_record': {
      const objectType = objectTypeAt(raw.objectType, `${at}.objectType`, problems);
      const props = raw.properties;
      need(
        isObject(props) && Object.values(props).every((v) => typeof v === 'string'),
        'properties',
        'must be an object of string values',
      );
      need(
        raw.associate === undefined || typeof raw.associate === 'boolean',
        'associate',
        'must be a boolean',
      );
      step = {
        ...base,
        type: 'create_record',
        objectType: objectType ?? 'contacts',
        properties: (props ?? {}) as Record<string, string>,
        ...(typeof raw.associate === 'boolean' ? { associate: raw.associate } : {}),
      };
      break;
    }
    case 'send_webhook': {
      let ok = false;
      try {
        const url = new URL(String(raw.url));
        ok = url.protocol === 'http:' || url.protocol === 'https:';
      } catch {}
      need(ok && String(raw.url).length <= 2000, 'url', 'an http(s) URL is needed');
      const purpose = raw.consentPurpose;
      need(
        purpose === undefined || (consentPurposes as readonly unknown[]).includes(purpose),
        'consentPurpose',
        `must be one of ${consentPurposes.join(', ')}`,
      );
      step = {
        ...base,
        type: 'send_webhook',
        url: String(raw.url),
        ...(purpose === undefined ? {} : { consentPurpose: purpose as ConsentPurpose }),
      };
      break;
    }
    case 'delay':
      need(
        typeof raw.minutes === 'number' && raw.minutes > 0 && raw.minutes <= 525_600,
        'minutes',
        'must be a number of minutes from above 0 to 525600 (a year)',
      );
      step = { ...base, type: 'delay', minutes: Number(raw.minutes) };
      break;
    case 'if_else': {
      const conditions = raw.conditions;
      need(
        Array.isArray(conditions) && conditions.length > 0 && conditions.length <= 50,
        'conditions',
        'a list of 1-50 conditions is needed',
      );
      need(
        raw.match === undefined || raw.match === 'all' || raw.match === 'any',
        'match',
        'must be all or any',
      );
      need(stepRef(raw.ifTrue), 'ifTrue', 'must be a step id or null');
      need(stepRef(raw.ifFalse), 'ifFalse', 'must be a step id or null');
      for (const [i, c] of (Array.isArray(conditions) ? conditions : []).entries()) {
        const field = `${at}.conditions[${i}]`;
        if (!isObject(c) || !isText(c.property, 200)) {
          problems.add(`${field}.property`, 'a property name is needed');
          continue;
        }
        if (!(conditionOperators as readonly unknown[]).includes(c.operator))
          problems.add(
            `${field}.operator`,
            `unknown operator; use one of ${conditionOperators.join(', ')}`,
          );
        const unary = c.operator === 'is_known' || c.operator === 'is_unknown';
        if (!unary && typeof c.value !== 'string')
          problems.add(`${field}.value`, 'must be a string');
      }
      if (raw.next !== undefined)
        problems.add(`${at}.next`, 'if_else continues through ifTrue/ifFalse');
      step = {
        ...base,
        type: 'if_else',
        conditions: (Array.isArray(conditions) ? conditions : []).map((c: Json) =>
          pick(c, ['property', 'operator', 'value']),
        ),
        ...pick(raw, ['match', 'ifTrue', 'ifFalse']),
      } as unknown as Step;
      break;
    }
    default:
      problems.add(
        `${at}.type`,
        `unknown action type ${String(raw.type)}; use one of ${actionTypes.join(', ')}`,
      );
  }
  return problems.list.length === before ? step : undefined;
}

function successors(steps: Step[], index: number): (string | null | undefined)[] {
  const step = steps[index];
  if (step?.type === 'if_else') return [step.ifTrue, step.ifFalse];
  return [nextOf(steps, index)];
}

/** Step references must exist, and no path may come back to a step it passed (cycles). */
function checkGraph(steps: Step[], problems: Problems): void {
  const index = new Map<string, number>();
  for (const [i, step] of steps.entries()) {
    if (index.has(step.id)) problems.add(`steps[${i}].id`, `duplicate step id ${step.id}`);
    index.set(step.id, i);
  }
  for (const [i] of steps.entries()) {
    for (const target of successors(steps, i)) {
      if (typeof target === 'string' && !index.has(target))
        problems.add(`steps[${i}]`, `refers to unknown step ${target}`);
    }
  }
  if (problems.list.length > 0) return;
  // Depth-first search with colours: reaching a step that is still on the path is a cycle.
  const colour = new Map<number, 'open' | 'done'>();
  const visit = (i: number): boolean => {
    colour.set(i, 'open');
    for (const target of successors(steps, i)) {
      if (typeof target !== 'string') continue;
      const j = index.get(target) ?? -1;
      if (colour.get(j) === 'open') {
        problems.add(
          `steps[${i}]`,
          `step ${steps[i]?.id} leads back to ${target}: workflows may not loop`,
        );
        return true;
      }
      if (!colour.has(j) && visit(j)) return true;
    }
    colour.set(i, 'done');
    return false;
  };
  for (const [i] of steps.entries()) if (!colour.has(i) && visit(i)) return;
}

/**
 * Parses and checks a workflow definition from untrusted JSON: trigger and action types, cron
 * expressions, step references and cycles, and the properties named. Every problem is reported
 * in one `validation_failed` error whose details name the field.
 */
export async function parseDefinition(
  db: Kysely<DB>,
  raw: { trigger: unknown; steps: unknown },
): Promise<WorkflowDefinition> {
  const problems = new Problems();
  const trigger = parseTrigger(raw.trigger, problems);
  const steps: Step[] = [];
  if (!Array.isArray(raw.steps) || raw.steps.length > 100) {
    problems.add('steps', 'must be a list of at most 100 steps');
  } else {
    for (const [i, s] of raw.steps.entries()) {
      const step = parseStep(s, `steps[${i}]`, problems);
      if (step) steps.push(step);
    }
  }
  problems.throwIfAny();
  if (!trigger) throw new Error('unreachable: a missing trigger is a reported problem');
  const def = { trigger, steps };
  checkGraph(steps, problems);
  await checkReferences(db, def, problems);
  problems.throwIfAny();
  return def;
}
