import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, notFound } from '../../kernel/errors.js';
import { newId, newSecret } from '../../kernel/ids.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import { isRole, type Role } from '../roles.js';
import { hashToken } from '../secrets.js';
import { invalidRole } from '../users/user.service.js';
import { type ApiToken, toApiToken, tokenPrefix } from './token.js';
import * as repo from './token.repository.js';

type TokenDeps = Pick<Deps, 'db' | 'clock'>;

// Writing last_used_at on every request would turn reads into writes; a minute's precision
// is all an admin auditing stale tokens needs.
const touchIntervalMs = 60_000;

export async function createToken(
  deps: TokenDeps,
  input: {
    name: string;
    role: string;
    createdBy?: string | null;
    secret?: string;
    kind?: 'standard' | 'bootstrap';
  },
): Promise<ApiToken & { token: string }> {
  const name = input.name.trim();
  if (name === '' || name.length > 200) {
    throw new AppError('validation_failed', 'name must be 1 to 200 characters', [
      { field: 'name', message: 'invalid length' },
    ]);
  }
  if (!isRole(input.role)) throw invalidRole(input.role);
  const token = input.secret ?? newSecret(tokenPrefix);
  const row = {
    id: newId('apiToken'),
    name,
    role: input.role,
    kind: input.kind ?? 'standard',
    token_hash: hashToken(token),
    token_hint: token.slice(-4),
    created_by: input.createdBy ?? null,
    created_at: iso(deps.clock.now()),
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertToken(deps.db, row);
  return { ...toApiToken(row), token };
}

export async function listTokens(
  deps: TokenDeps,
  opts: { after?: string; limit: number; includeRevoked?: boolean },
): Promise<Page<ApiToken>> {
  const rows = await repo.listTokens(deps.db, {
    ...opts,
    includeRevoked: opts.includeRevoked ?? false,
  });
  return toPage(rows, opts.limit, toApiToken, (row) => ({ id: row.id }));
}

export async function revokeToken(deps: TokenDeps, id: string): Promise<void> {
  const existing = await repo.findTokenById(deps.db, id);
  if (!existing) throw notFound(`token ${id}`);
  await repo.revokeToken(deps.db, id, iso(deps.clock.now()));
}

/** The principal behind a bearer secret, or undefined for an unknown or revoked one. */
export async function resolveToken(
  deps: TokenDeps,
  secret: string,
): Promise<{ id: string; name: string; role: Role } | undefined> {
  const row = await repo.findActiveTokenByHash(deps.db, hashToken(secret));
  if (!row || !isRole(row.role)) return undefined;
  const now = deps.clock.now();
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > touchIntervalMs) {
    await repo.touchToken(deps.db, row.id, iso(now));
  }
  return { id: row.id, name: row.name, role: row.role };
}

/**
 * Makes sure an admin can always get in. With TRIAD_ADMIN_TOKEN set, that value is the
 * bootstrap token (a changed value replaces the old one). Without it, the first start
 * generates one and returns it so the caller can print it once; only its hash is kept.
 */
export async function ensureBootstrapToken(
  deps: TokenDeps,
  configured: string | undefined,
): Promise<{ generated: string | undefined }> {
  const active = await repo.findActiveBootstrapTokens(deps.db);
  if (configured !== undefined) {
    const hash = hashToken(configured);
    if (active.some((row) => row.token_hash === hash)) return { generated: undefined };
    for (const row of active) await repo.revokeToken(deps.db, row.id, iso(deps.clock.now()));
    const reused = await repo.findActiveTokenByHash(deps.db, hash);
    if (!reused)
      await createToken(deps, {
        name: 'bootstrap admin',
        role: 'admin',
        secret: configured,
        kind: 'bootstrap',
      });
    return { generated: undefined };
  }
  if (active.length > 0) return { generated: undefined };
  const created = await createToken(deps, {
    name: 'bootstrap admin',
    role: 'admin',
    kind: 'bootstrap',
  });
  return { generated: created.token };
}
