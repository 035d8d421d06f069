import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import { AppError, badRequest, notFound } from '../../kernel/errors.js';
import { decodeCursor, encodeCursor } from '../../kernel/pagination.js';
import type { DB } from '../../storage/schema.js';
import { parseCondition } from '../audiences/validate.js';
import { consentPurposes, type DestinationSettings, defaultSettings } from './destination.js';
import * as repo from './destination.repository.js';
import type { DestinationRow } from './destination.tables.js';
import { isAllowEntry } from './egress.js';

type Deps = { db: Kysely<DB>; clock: Clock };

export interface DestinationInput {
  name: string;
  kind: 'events' | 'audiences';
  url: string;
  enabled?: boolean | undefined;
  settings?: Partial<DestinationSettings> | undefined;
}

/** The public view: the signing secret is shown once, at creation. */
export function destinationView(row: DestinationRow, withSecret = false) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: row.url,
    enabled: row.enabled === 1,
    settings: repo.configOf(row).settings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(withSecret ? { secret: row.secret } : {}),
  };
}

function checkSettings(input: Partial<DestinationSettings>): DestinationSettings {
  const s = { ...defaultSettings, ...input };
  if (!consentPurposes.includes(s.consentPurpose))
    throw badRequest(`consentPurpose must be one of ${consentPurposes.join(', ')}`);
  // Filters share the audience language's validation (and its 400s naming the field).
  if (s.where.length > 0)
    parseCondition(
      s.where.length === 1
        ? { type: 'trait', filter: s.where[0] }
        : { type: 'and', conditions: s.where.map((filter) => ({ type: 'trait', filter })) },
      '/settings/where',
    );
  for (const m of s.mappings) {
    if ((m.from === undefined) === (m.value === undefined))
      throw badRequest(`mapping to "${m.to}" needs exactly one of from or value`);
  }
  return s;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('bad_request', 'url is not a valid URL', [
      { field: '/url', message: 'not a URL' },
    ]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new AppError('bad_request', 'url must be http or https', [
      { field: '/url', message: 'http(s) only' },
    ]);
  if (parsed.username || parsed.password) throw badRequest('url may not carry credentials');
}

export async function createDestination(deps: Deps, input: DestinationInput) {
  checkUrl(input.url);
  const settings = checkSettings(input.settings ?? {});
  const now = deps.clock.now();
  const id = `dst_${now.getTime().toString(36)}${randomBytes(6).toString('hex')}`;
  const row: DestinationRow = {
    id,
    name: input.name,
    kind: input.kind,
    url: input.url,
    secret: `whsec_${randomBytes(24).toString('base64url')}`,
    settings: JSON.stringify(settings),
    enabled: input.enabled === false ? 0 : 1,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  };
  await deps.db.insertInto('destinations').values(row).execute();
  return destinationView(row, true);
}

export async function getDestination(deps: Deps, id: string) {
  const row = await repo.destinationById(deps.db, id);
  if (!row) throw notFound(`destination ${id}`);
  return destinationView(row);
}

export async function listDestinations(deps: Deps) {
  const rows = await deps.db.selectFrom('destinations').selectAll().orderBy('id').execute();
  return rows.map((r) => destinationView(r));
}

export async function updateDestination(deps: Deps, id: string, input: Partial<DestinationInput>) {
  const row = await repo.destinationById(deps.db, id);
  if (!row) throw notFound(`destination ${id}`);
  if (input.url !== undefined) checkUrl(input.url);
  const settings = input.settings
    ? checkSettings({ ...repo.configOf(row).settings, ...input.settings })
    : repo.configOf(row).settings;
  await deps.db
    .updateTable('destinations')
    .set({
      name: input.name ?? row.name,
      url: input.url ?? row.url,
      enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
      settings: JSON.stringify(settings),
      updated_at: deps.clock.now().toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return getDestination(deps, id);
}

export async function deleteDestination(deps: Deps, id: string) {
  await getDestination(deps, id);
  await deps.db.deleteFrom('destinations').where('id', '=', id).execute();
}

/** The delivery log: messages with their attempts (status code, latency, error). */
export async function deliveryLog(
  deps: Deps,
  id: string,
  opts: { status?: string | undefined; limit: number; cursor?: string | undefined },
) {
  await getDestination(deps, id);
  const before = opts.cursor ? decodeCursor(opts.cursor, ['id'] as const).id : undefined;
  const rows = await repo.deliveries(deps.db, id, {
    status: opts.status,
    before,
    limit: opts.limit,
  });
  const page = rows.slice(0, opts.limit);
  const attempts = await repo.attemptsOf(
    deps.db,
    page.map((r) => r.id),
  );
  const data = page.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    profileId: r.profile_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    log: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({
        attempt: a.attempt,
        at: a.at,
        statusCode: a.status_code,
        latencyMs: a.latency_ms,
        error: a.error,
      })),
  }));
  const last = page.at(-1);
  return { data, next: rows.length > opts.limit && last ? encodeCursor({ id: last.id }) : null };
}

export async function redriveDeadLetters(deps: Deps, id: string, ids?: string[]) {
  await getDestination(deps, id);
  return repo.redrive(deps.db, id, ids, deps.clock.now().toISOString());
}

export async function listAllowList(deps: Deps) {
  return repo.allowEntries(deps.db);
}

export async function allow(deps: Deps, entry: string) {
  if (!isAllowEntry(entry))
    throw new AppError('bad_request', 'entry must be a host name, an IP address or a CIDR range', [
      { field: '/entry', message: 'not a host, IP or CIDR' },
    ]);
  await deps.db
    .insertInto('destination_egress_allowlist')
    .values({ entry: entry.trim().toLowerCase(), created_at: deps.clock.now().toISOString() })
    .onConflict((oc) => oc.column('entry').doNothing())
    .execute();
}

export async function disallow(deps: Deps, entry: string) {
  await deps.db
    .deleteFrom('destination_egress_allowlist')
    .where('entry', '=', entry.trim().toLowerCase())
    .execute();
}
