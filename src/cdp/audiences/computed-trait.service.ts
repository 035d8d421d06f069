import { AppError, conflict, notFound } from '../../kernel/errors.js';
import { keyPattern, listAudiences, newAudienceId, startInBackground } from './audience.service.js';
import { backfillTrait } from './backfill.js';
import type { ComputedTraitDefinition } from './definition.js';
import type { AudienceDeps } from './streaming.js';
import { parseComputedTrait } from './validate.js';

export interface ComputedTraitView {
  id: string;
  key: string;
  name: string;
  definition: ComputedTraitDefinition;
  status: string;
  createdAt: string;
}

export async function createComputedTrait(
  deps: AudienceDeps,
  input: { key: string; name: string; definition: unknown },
): Promise<ComputedTraitView> {
  if (!keyPattern.test(input.key))
    throw new AppError('bad_request', 'key must be lower-case letters, digits and _', [
      { field: '/key', message: 'must match ^[a-z][a-z0-9_]{0,79}$' },
    ]);
  const definition = parseComputedTrait(input.definition);
  const exists = await deps.db
    .selectFrom('audience_traits')
    .select('id')
    .where('key', '=', input.key)
    .executeTakeFirst();
  if (exists) throw conflict(`A computed trait with the key "${input.key}" exists`);
  const now = deps.clock.now();
  const id = newAudienceId('ct', now);
  await deps.db
    .insertInto('audience_traits')
    .values({
      id,
      key: input.key,
      name: input.name,
      spec: JSON.stringify(definition),
      definition: JSON.stringify(definition),
      status: 'backfilling',
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  startInBackground(deps, 'computed trait backfill', () => backfillTrait(deps, id));
  return getComputedTrait(deps, id);
}

export async function getComputedTrait(deps: AudienceDeps, id: string): Promise<ComputedTraitView> {
  const r = await deps.db
    .selectFrom('audience_traits')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound(`computed trait ${id}`);
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    definition: JSON.parse(r.definition) as ComputedTraitDefinition,
    status: r.status,
    createdAt: r.created_at,
  };
}

export async function listComputedTraits(deps: AudienceDeps): Promise<ComputedTraitView[]> {
  const rows = await deps.db.selectFrom('audience_traits').select('id').orderBy('id').execute();
  return Promise.all(rows.map((r) => getComputedTrait(deps, r.id)));
}

export async function deleteComputedTrait(deps: AudienceDeps, id: string): Promise<void> {
  const trait = await getComputedTrait(deps, id);
  const users = (await listAudiences(deps)).filter((a) =>
    JSON.stringify(a.definition).includes(
      `"type":"computed","filter":{"path":${JSON.stringify(trait.key)}`,
    ),
  );
  if (users.length > 0)
    throw conflict(`Computed trait is used by ${users.map((u) => u.key).join(', ')}`);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audience_traits').where('id', '=', id).execute();
    await trx.deleteFrom('audience_trait_states').where('trait_id', '=', id).execute();
  });
}

/** A profile's computed traits (by key) and audience memberships (by key), for profile APIs. */
export async function profileAudienceTraits(deps: Pick<AudienceDeps, 'db'>, profileId: string) {
  const [values, members] = await Promise.all([
    deps.db
      .selectFrom('audience_trait_states')
      .innerJoin('audience_traits', 'audience_traits.id', 'audience_trait_states.trait_id')
      .select(['audience_traits.key', 'audience_trait_states.value'])
      .where('audience_trait_states.profile_id', '=', profileId)
      .execute(),
    deps.db
      .selectFrom('audience_members')
      .innerJoin('audience_definitions', 'audience_definitions.id', 'audience_members.audience_id')
      .select(['audience_definitions.key'])
      .where('audience_members.profile_id', '=', profileId)
      .execute(),
  ]);
  const traits = await deps.db
    .selectFrom('audience_traits')
    .select(['id', 'key', 'definition'])
    .execute();
  const computed: Record<string, unknown> = {};
  // Traits without state have their empty value (0 events counted, no last value...).
  for (const t of traits)
    computed[t.key] = emptyValue(JSON.parse(t.definition) as ComputedTraitDefinition);
  for (const v of values) computed[v.key] = JSON.parse(v.value) as unknown;
  return { computed, audiences: Object.fromEntries(members.map((m) => [m.key, true])) };
}

function emptyValue(def: ComputedTraitDefinition): unknown {
  if (
    def.aggregation === 'count' ||
    def.aggregation === 'sum' ||
    def.aggregation === 'unique_count'
  )
    return 0;
  return def.aggregation === 'unique_list' ? [] : null;
}
