import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../kernel/pagination.js';
import type { AudienceDefinitionRow } from './audience.tables.js';
import { backfillAudience, runAudienceBatch } from './backfill.js';
import type { Condition } from './definition.js';
import { formatCondition, parseConditionText } from './definition.text.js';
import { buildModel } from './model.js';
import type { AudienceDeps } from './streaming.js';
import { parseCondition } from './validate.js';

export const keyPattern = /^[a-z][a-z0-9_]{0,79}$/;

/** A time-ordered id with a prefix (`aud_`, `ct_`): sorts by creation like other Triad ids. */
export function newAudienceId(prefix: string, now: Date): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

export interface AudienceView {
  id: string;
  key: string;
  name: string;
  description: string;
  definition: Condition;
  text: string;
  mode: 'realtime' | 'batch';
  status: string;
  progress: { done: number; total: number };
  size: number;
  lastBatchAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function audienceView(row: AudienceDefinitionRow): AudienceView {
  const definition = JSON.parse(row.definition) as Condition;
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    definition,
    text: formatCondition(definition),
    mode: row.mode === 'batch' ? 'batch' : 'realtime',
    status: row.status,
    progress: { done: Number(row.progress_done), total: Number(row.progress_total) },
    size: Number(row.size),
    lastBatchAt: row.last_batch_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A definition given as JSON (`definition`) or as text (`text`), validated either way. */
export function conditionOf(input: { definition?: unknown; text?: string | undefined }): Condition {
  if (input.definition !== undefined && input.text !== undefined)
    throw badRequest('Give either definition or text, not both');
  if (input.text !== undefined) return parseCondition(parseConditionText(input.text), '/text');
  if (input.definition === undefined)
    throw badRequest('A definition (or its text form) is required');
  return parseCondition(input.definition);
}

/** Checks references (computed traits, audiences) and cycles with the candidate in place. */
async function checkReferences(
  deps: AudienceDeps,
  candidate: { id: string; key: string; definition: Condition },
) {
  const [traits, audiences] = await Promise.all([
    deps.db
      .selectFrom('audience_traits')
      .select(['id', 'key', 'name', 'status', 'definition'])
      .execute(),
    // Ordered as the engine loads them, so a cycle is reported the same way on every engine.
    deps.db
      .selectFrom('audience_definitions')
      .select(['id', 'key', 'name', 'mode', 'status', 'definition'])
      .orderBy('id')
      .execute(),
  ]);
  const others = audiences.filter((a) => a.id !== candidate.id);
  buildModel(traits, [
    ...others,
    {
      ...candidate,
      name: candidate.key,
      mode: 'realtime',
      status: 'ready',
      definition: JSON.stringify(candidate.definition),
    },
  ]);
}

export function startInBackground(deps: AudienceDeps, what: string, work: () => Promise<unknown>) {
  void work().catch((error: unknown) => deps.log?.error({ err: error }, `${what} failed`));
}

export async function createAudience(
  deps: AudienceDeps,
  input: {
    key: string;
    name: string;
    description?: string | undefined;
    mode?: 'realtime' | 'batch' | undefined;
    definition?: unknown;
    text?: string | undefined;
  },
): Promise<AudienceView> {
  if (!keyPattern.test(input.key))
    throw new AppError(
      'bad_request',
      'key must be lower-case letters, digits and _ (starting with a letter)',
      [{ field: '/key', message: 'must match ^[a-z][a-z0-9_]{0,79}$' }],
    );
  const definition = conditionOf(input);
  const now = deps.clock.now();
  const id = newAudienceId('aud', now);
  const exists = await deps.db
    .selectFrom('audience_definitions')
    .select('id')
    .where('key', '=', input.key)
    .executeTakeFirst();
  if (exists) throw conflict(`An audience with the key "${input.key}" exists`);
  await checkReferences(deps, { id, key: input.key, definition });
  const iso = now.toISOString();
  await deps.db
    .insertInto('audience_definitions')
    .values({
      id,
      key: input.key,
      name: input.name,
      description: input.description ?? '',
      definition: JSON.stringify(definition),
      mode: input.mode ?? 'realtime',
      status: 'backfilling',
      progress_done: 0,
      progress_total: 0,
      size: 0,
      last_batch_at: null,
      created_at: iso,
      updated_at: iso,
    })
    .execute();
  startInBackground(deps, 'audience backfill', () => backfillAudience(deps, id));
  return getAudience(deps, id);
}

export async function getAudience(deps: AudienceDeps, id: string): Promise<AudienceView> {
  const row = await deps.db
    .selectFrom('audience_definitions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`audience ${id}`);
  return audienceView(row);
}

export async function listAudiences(deps: AudienceDeps): Promise<AudienceView[]> {
  const rows = await deps.db
    .selectFrom('audience_definitions')
    .selectAll()
    .orderBy('id')
    .limit(1000)
    .execute();
  return rows.map(audienceView);
}

/**
 * Renames, switches mode or redefines an audience. A new definition drops the old counters
 * and backfills again; switching to real-time evaluates everyone once so memberships are
 * current before streaming takes over. The audience keeps its id, members and history.
 */
export async function updateAudience(
  deps: AudienceDeps,
  id: string,
  input: {
    name?: string | undefined;
    description?: string | undefined;
    mode?: 'realtime' | 'batch' | undefined;
    definition?: unknown;
    text?: string | undefined;
  },
): Promise<AudienceView> {
  const current = await getAudience(deps, id);
  const redefine = input.definition !== undefined || input.text !== undefined;
  const definition = redefine ? conditionOf(input) : current.definition;
  if (redefine) await checkReferences(deps, { id, key: current.key, definition });
  const iso = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('audience_definitions')
      .set({
        name: input.name ?? current.name,
        description: input.description ?? current.description,
        mode: input.mode ?? current.mode,
        definition: JSON.stringify(definition),
        ...(redefine ? { status: 'backfilling', progress_done: 0 } : {}),
        updated_at: iso,
      })
      .where('id', '=', id)
      .execute();
    if (redefine)
      await trx
        .deleteFrom('audience_trait_states')
        .where('trait_id', 'like', sql.lit(`${id}.%`))
        .execute();
  });
  if (redefine) startInBackground(deps, 'audience backfill', () => backfillAudience(deps, id));
  else if (input.mode === 'realtime' && current.mode === 'batch')
    startInBackground(deps, 'audience batch', () => runAudienceBatch(deps, id));
  return getAudience(deps, id);
}

export async function deleteAudience(deps: AudienceDeps, id: string): Promise<void> {
  await getAudience(deps, id);
  const dependents = (await listAudiences(deps)).filter(
    (a) => a.id !== id && JSON.stringify(a.definition).includes(`"audience":`),
  );
  const row = await deps.db
    .selectFrom('audience_definitions')
    .select('key')
    .where('id', '=', id)
    .executeTakeFirst();
  const users = dependents.filter((a) =>
    JSON.stringify(a.definition).includes(`"audience":${JSON.stringify(row?.key)}`),
  );
  if (users.length > 0) throw conflict(`Audience is used by ${users.map((u) => u.key).join(', ')}`);
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('audience_definitions').where('id', '=', id).execute();
    await trx.deleteFrom('audience_members').where('audience_id', '=', id).execute();
    await trx
      .deleteFrom('audience_trait_states')
      .where('trait_id', 'like', sql.lit(`${id}.%`))
      .execute();
  });
}

/** Runs a batch evaluation now (batch audiences, or to re-check a real-time one). */
export async function runAudienceNow(deps: AudienceDeps, id: string): Promise<void> {
  await getAudience(deps, id);
  startInBackground(deps, 'audience batch', () => runAudienceBatch(deps, id));
}

export async function audienceMembers(
  deps: AudienceDeps,
  id: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<{ profileId: string; enteredAt: string }>> {
  await getAudience(deps, id);
  const after = page.cursor ? decodeCursor(page.cursor, ['p'] as const).p : '';
  const rows = await deps.db
    .selectFrom('audience_members')
    .select(['profile_id', 'entered_at'])
    .where('audience_id', '=', id)
    .where('profile_id', '>', after)
    .orderBy('profile_id')
    .limit(page.limit + 1)
    .execute();
  const data = rows
    .slice(0, page.limit)
    .map((r) => ({ profileId: r.profile_id, enteredAt: r.entered_at }));
  const last = data.at(-1);
  return {
    data,
    next: rows.length > page.limit && last ? encodeCursor({ p: last.profileId }) : null,
  };
}

export async function audienceHistory(
  deps: AudienceDeps,
  id: string,
  page: { limit: number; cursor?: string | undefined },
) {
  await getAudience(deps, id);
  const before = page.cursor
    ? Number(decodeCursor(page.cursor, ['i'] as const).i)
    : Number.MAX_SAFE_INTEGER;
  const rows = await deps.db
    .selectFrom('audience_membership_log')
    .selectAll()
    .where('audience_id', '=', id)
    .where('id', '<', before)
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const data = rows.slice(0, page.limit).map((r) => ({
    id: Number(r.id),
    profileId: r.profile_id,
    kind: r.kind,
    at: r.at,
    seq: r.seq,
    reason: r.reason,
  }));
  const last = data.at(-1);
  return {
    data,
    next: rows.length > page.limit && last ? encodeCursor({ i: String(last.id) }) : null,
  };
}
