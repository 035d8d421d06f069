import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/roles.js';
import { resolveToken } from '../access/tokens/token.service.js';
import { resolveSession } from '../access/users/user.service.js';
import type { Deps } from '../kernel/deps.js';
import { AppError } from '../kernel/errors.js';
import type { Access } from './route.js';

export const sessionCookie = 'triad_session';

/**
 * Finds who is calling: an API token (`Authorization: Bearer <token>`, or Basic with the token
 * as user name, as Segment's Profile API clients send it) or a console session cookie.
 * Credentials that are present but wrong are refused even on a route that would accept none.
 */
export async function authenticate(
  deps: Pick<Deps, 'db' | 'clock'>,
  request: FastifyRequest,
): Promise<Principal | undefined> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const secret = secretFromAuthorization(header);
    const token = secret === undefined ? undefined : await resolveToken(deps, secret);
    if (!token)
      throw new AppError('unauthorized', 'The API token is missing, malformed, unknown or revoked');
    return { kind: 'token', id: token.id, role: token.role, name: token.name };
  }
  const cookie = request.cookies[sessionCookie];
  if (cookie !== undefined) {
    const session = await resolveSession(deps, cookie);
    if (!session) throw new AppError('unauthorized', 'The session has expired; log in again');
    return {
      kind: 'user',
      id: session.userId,
      role: session.role,
      email: session.email,
      sessionId: session.sessionId,
    };
  }
  return undefined;
}

function secretFromAuthorization(header: string): string | undefined {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0];
    return user === undefined || user === '' ? undefined : user;
  }
  return undefined;
}

/** The role check every route goes through; `admin` passes all of them. */
export function authorize(access: Access, principal: Principal | undefined): void {
  if ('public' in access || 'writeKey' in access) return;
  if (!principal) {
    throw new AppError(
      'unauthorized',
      'This endpoint needs an API token (Authorization: Bearer) or a console session',
    );
  }
  if (principal.role === 'admin' || access.roles.includes(principal.role)) return;
  throw new AppError(
    'forbidden',
    `The ${principal.role} role may not use this endpoint; it needs one of: admin, ${access.roles.join(', ')}`,
  );
}

/**
 * Browsers attach cookies to cross-site requests; a state-changing request that rides on a
 * session cookie must come from the console's own origin (SameSite=Strict is the first fence,
 * this is the second).
 */
export function checkSameOrigin(request: FastifyRequest, principal: Principal | undefined): void {
  if (principal?.kind !== 'user') return;
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'The Origin header is not a valid origin');
  }
  if (originHost !== request.headers.host) {
    throw new AppError('forbidden', 'Cross-origin requests may not use the console session');
  }
}
