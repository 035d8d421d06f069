import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, conflict } from '../../kernel/errors.js';
import { newId, newSecret } from '../../kernel/ids.js';
import { type Page, toPage } from '../../kernel/pagination.js';
import { isRole, type Role } from '../roles.js';
import { hashPassword, hashToken, unusablePasswordHash, verifyPassword } from '../secrets.js';
import { looksLikeEmail, normalizeEmail, toUser, type User } from './user.js';
import * as repo from './user.repository.js';

export const minPasswordLength = 10;
export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface CreateUserInput {
  email: string;
  role: string;
  name?: string | undefined;
  /** When omitted a strong password is generated and returned once. */
  password?: string | undefined;
}

export async function createUser(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: CreateUserInput,
): Promise<{ user: User; generatedPassword: string | undefined }> {
  const email = normalizeEmail(input.email);
  if (!looksLikeEmail(email)) {
    throw new AppError('validation_failed', 'email is not a valid e-mail address', [
      { field: 'email', message: 'invalid e-mail address' },
    ]);
  }
  if (!isRole(input.role)) throw invalidRole(input.role);
  if (input.password !== undefined && input.password.length < minPasswordLength) {
    throw new AppError(
      'validation_failed',
      `password must be at least ${minPasswordLength} characters`,
      [{ field: 'password', message: 'too short' }],
    );
  }
  if (await repo.findUserByEmail(deps.db, email)) {
    throw conflict(`a user with e-mail ${email} already exists`);
  }
  const generatedPassword = input.password === undefined ? newSecret('pw', 15) : undefined;
  const now = iso(deps.clock.now());
  const row = {
    id: newId('user'),
    email,
    name: input.name ?? null,
    role: input.role,
    password_hash: await hashPassword(input.password ?? (generatedPassword as string)),
    created_at: now,
    updated_at: now,
    disabled_at: null,
  };
  await repo.insertUser(deps.db, row);
  return { user: toUser(row), generatedPassword };
}

export async function listUsers(
  deps: Pick<Deps, 'db'>,
  opts: { after?: string; limit: number },
): Promise<Page<User>> {
  const rows = await repo.listUsers(deps.db, opts);
  return toPage(rows, opts.limit, toUser, (row) => ({ id: row.id }));
}

/** Checks e-mail and password and opens a console session; null when either is wrong. */
export async function logIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { email: string; password: string },
): Promise<{ user: User; sessionToken: string; expiresAt: Date } | null> {
  const row = await repo.findUserByEmail(deps.db, normalizeEmail(input.email));
  // Verify against a dummy hash when the user is unknown, so timing does not reveal which
  // e-mail addresses have accounts.
  const valid = await verifyPassword(input.password, row?.password_hash ?? unusablePasswordHash);
  if (!row || !valid || row.disabled_at !== null) return null;
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  const sessionToken = newSecret('triad_ses');
  await repo.insertSession(deps.db, {
    id: newId('session'),
    token_hash: hashToken(sessionToken),
    user_id: row.id,
    created_at: iso(now),
    expires_at: iso(expiresAt),
  });
  return { user: toUser(row), sessionToken, expiresAt };
}

export async function resolveSession(deps: Pick<Deps, 'db' | 'clock'>, sessionToken: string) {
  const found = await repo.findActiveSession(
    deps.db,
    hashToken(sessionToken),
    iso(deps.clock.now()),
  );
  if (!found || !isRole(found.role)) return undefined;
  return {
    sessionId: found.session_id,
    userId: found.user_id,
    email: found.email,
    role: found.role as Role,
  };
}

export async function logOut(deps: Pick<Deps, 'db'>, sessionId: string): Promise<void> {
  await repo.deleteSession(deps.db, sessionId);
}

export async function getUser(deps: Pick<Deps, 'db'>, id: string): Promise<User | undefined> {
  const row = await repo.findUserById(deps.db, id);
  return row ? toUser(row) : undefined;
}

export function invalidRole(role: string) {
  return new AppError(
    'validation_failed',
    `role must be one of admin, marketer, sales, support, advertiser, analyst; got "${role}"`,
    [{ field: 'role', message: 'unknown role' }],
  );
}
