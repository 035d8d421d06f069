import type { Kysely } from 'kysely';
import { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import type { ObjectType } from '../objects/object-types.js';
import { getTeam } from '../owners/owner.service.js';
import { loadSchema } from '../properties/schema.js';
import { recordTypeOf, type WorkflowDefinition } from './workflow.js';
import type { Problems } from './workflow.validate.js';

async function findTeam(db: Kysely<DB>, id: string) {
  try {
    return await getTeam({ db }, id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/**
 * What a definition names must exist: properties on the record type they apply to, teams of
 * round robins; and record actions need a trigger that has a record.
 */
export async function checkReferences(
  db: Kysely<DB>,
  def: WorkflowDefinition,
  problems: Problems,
): Promise<void> {
  const recordType = recordTypeOf(def.trigger);
  const known = async (type: ObjectType, name: string) => {
    const schema = await loadSchema(db, type);
    return schema.defs.get(name);
  };
  if (
    def.trigger.type === 'property_changed' &&
    !(await known(def.trigger.objectType, def.trigger.property))
  )
    problems.add(
      'trigger.property',
      `${def.trigger.property} is not a property of ${def.trigger.objectType}`,
    );
  for (const [i, step] of def.steps.entries()) {
    const at = `steps[${i}]`;
    const needsRecord =
      step.type === 'update_property' || step.type === 'assign_owner' || step.type === 'if_else';
    if (needsRecord && !recordType) {
      problems.add(`${at}.type`, `${step.type} needs a record; scheduled workflows have none`);
      continue;
    }
    if (step.type === 'assign_owner' && step.teamId !== undefined) {
      const team = await findTeam(db, step.teamId);
      if (!team) problems.add(`${at}.teamId`, `no team with id ${step.teamId}`);
    }
    if (step.type === 'update_property' && recordType) {
      const prop = await known(recordType, step.property);
      if (!prop)
        problems.add(`${at}.property`, `${step.property} is not a property of ${recordType}`);
      else if (prop.readOnly) problems.add(`${at}.property`, `${step.property} is read-only`);
    }
    if (step.type === 'if_else' && recordType) {
      for (const [j, c] of step.conditions.entries()) {
        if (!(await known(recordType, c.property)))
          problems.add(
            `${at}.conditions[${j}].property`,
            `${c.property} is not a property of ${recordType}`,
          );
      }
    }
    if (step.type === 'create_record') {
      for (const name of Object.keys(step.properties)) {
        if (!(await known(step.objectType, name)))
          problems.add(
            `${at}.properties.${name}`,
            `${name} is not a property of ${step.objectType}`,
          );
      }
    }
  }
}
