import { randomBytes } from 'node:crypto';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import { type Source, toSource } from './source.js';
import * as repo from './source.repository.js';

type SourceDeps = Pick<Deps, 'db' | 'clock'>;

/** 32 lower-case hex characters, like Segment's: safe in URLs, Basic auth and snippets. */
function newWriteKey(): string {
  return randomBytes(16).toString('hex');
}

function validName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) {
    throw new AppError('validation_failed', 'name must be 1 to 200 characters', [
      { field: 'name', message: 'invalid length' },
    ]);
  }
  return trimmed;
}

export async function createSource(deps: SourceDeps, input: { name: string }): Promise<Source> {
  const now = iso(deps.clock.now());
  const row = {
    id: newId('source'),
    name: validName(input.name),
    write_key: newWriteKey(),
    settings: '{}',
    created_at: now,
    updated_at: now,
    disabled_at: null,
  };
  await repo.insertSource(deps.db, row);
  return toSource(row);
}

export async function getSource(deps: Pick<Deps, 'db'>, id: string): Promise<Source> {
  const row = await repo.findSourceById(deps.db, id);
  if (!row) throw notFound(`source ${id}`);
  return toSource(row);
}

export async function listSources(
  deps: Pick<Deps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<Source>> {
  const rows = await repo.listSources(deps.db, opts);
  return toPage(rows, opts.limit, toSource, (row) => ({ id: row.id }));
}

export async function updateSource(
  deps: SourceDeps,
  id: string,
  changes: {
    name?: string | undefined;
    enabled?: boolean | undefined;
    traitPriority?: number | undefined;
  },
): Promise<Source> {
  const existing = await repo.findSourceById(deps.db, id);
  if (!existing) throw notFound(`source ${id}`);
  const now = iso(deps.clock.now());
  const update: {
    updated_at: string;
    name?: string;
    disabled_at?: string | null;
    settings?: string;
  } = {
    updated_at: now,
  };
  if (changes.traitPriority !== undefined) {
    const settings = JSON.parse(existing.settings) as Record<string, unknown>;
    update.settings = JSON.stringify({ ...settings, traitPriority: changes.traitPriority });
  }
  if (changes.name !== undefined) update.name = validName(changes.name);
  if (changes.enabled !== undefined) {
    // Keep the original disable time when a disabled source is disabled again.
    update.disabled_at = changes.enabled ? null : (existing.disabled_at ?? now);
  }
  await repo.updateSource(deps.db, id, update);
  return toSource({ ...existing, ...update });
}

/** Replaces the write key at once: SDKs still sending the old key get 401 from then on. */
export async function rotateWriteKey(deps: SourceDeps, id: string): Promise<Source> {
  const existing = await repo.findSourceById(deps.db, id);
  if (!existing) throw notFound(`source ${id}`);
  const update = { write_key: newWriteKey(), updated_at: iso(deps.clock.now()) };
  await repo.updateSource(deps.db, id, update);
  return toSource({ ...existing, ...update });
}

/** The source a write key belongs to, enabled or not (the caller decides 401 versus 403). */
export async function findSourceByWriteKey(
  deps: Pick<Deps, 'db'>,
  writeKey: string,
): Promise<Source | undefined> {
  const row = await repo.findSourceByWriteKey(deps.db, writeKey);
  return row ? toSource(row) : undefined;
}
