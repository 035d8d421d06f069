import type { Kysely } from 'kysely';
import type { Principal } from '../../access/roles.js';
import { hubSpotErrorBody } from '../../http/hubspot-error.js';
import type { AppError } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { can } from '../access.js';
import { listAssociationRows } from '../associations/association.repository.js';
import type { ObjectSchema } from '../properties/schema.js';
import type { BatchFailure } from './batch.service.js';
import { type CrmRecord, propertiesToReturn, toWire, type WireRecord } from './object.js';
import { type ObjectType, resolveObjectType, singularOf } from './object-types.js';

/** How records are answered: which properties, and which associated types to inline. */
export interface Presentation {
  schema: ObjectSchema;
  names: string[];
  associations: ObjectType[];
  principal: Principal;
}

export function presentation(
  schema: ObjectSchema,
  principal: Principal,
  properties: string[] | undefined,
  associations: string[] | undefined = undefined,
): Presentation {
  const types = (associations ?? []).flatMap((raw) => {
    const type = resolveObjectType(raw);
    // Associated types the caller may not read are left out rather than refused.
    return type && can(principal.role, type, 'read') ? [type] : [];
  });
  return {
    schema,
    names: propertiesToReturn(schema, properties),
    associations: [...new Set(types)],
    principal,
  };
}

/** Records on the wire, with their associations inlined when the request asked for them. */
export async function present(
  db: Kysely<DB>,
  p: Presentation,
  records: CrmRecord[],
): Promise<
  (WireRecord & { associations?: Record<string, { results: { id: string; type: string }[] }> })[]
> {
  return Promise.all(
    records.map(async (record) => {
      const wire = toWire(record, p.schema, p.names, p.principal.role);
      if (p.associations.length === 0) return wire;
      const associations: Record<string, { results: { id: string; type: string }[] }> = {};
      for (const toType of p.associations) {
        const { rows } = await listAssociationRows(db, {
          fromId: record.id,
          toType,
          after: undefined,
          limit: 500,
        });
        if (rows.length === 0) continue;
        const unlabeled = `${singularOf(record.type)}_to_${singularOf(toType)}`;
        const seen = new Set<string>();
        const results = [];
        for (const r of rows) {
          const type = r.category === 'HUBSPOT_DEFINED' ? unlabeled : String(r.type_id);
          const key = `${r.to_id}:${type}`;
          if (seen.has(key)) continue;
          seen.add(key);
          results.push({ id: String(r.to_id), type });
        }
        associations[toType] = { results };
      }
      return { ...wire, associations };
    }),
  );
}

/** A failed batch input as HubSpot reports it: category, message, and which id or property. */
export function batchError(failure: BatchFailure, requestId: string) {
  const body = hubSpotErrorBody(failure.error as AppError, requestId);
  const properties = failure.error.details.flatMap((d) => (d.field === undefined ? [] : [d.field]));
  const context: Record<string, string[]> = { index: [String(failure.index)] };
  if (failure.id !== undefined) context.ids = [failure.id];
  if (properties.length > 0) context.propertyName = properties;
  return {
    status: 'error',
    category: failure.error.code === 'not_found' ? 'OBJECT_NOT_FOUND' : body.category,
    message: body.message,
    context,
    ...(body.errors === undefined ? {} : { errors: body.errors }),
  };
}
