import type { Kysely } from 'kysely';
import { type Clock, iso } from '../../kernel/clock.js';
import type { DB } from '../../storage/schema.js';
import { digestOf, identifierSalt } from '../requests/digest.js';
import { appendAudit } from './audit.repository.js';

/** What a request does to personal data, as the audit log records it. */
export type AuditAction = 'read' | 'write' | 'export';

const crmPerson = /^\/crm\/v[34]\/objects\/(contacts|0-1)(\/|$)/;
const readPosts = /\/(search|batch\/read)$/;
const personalApi = [
  /^\/api\/v1\/profiles(\/|$)/,
  /^\/api\/v1\/customers(\/|$)/,
  /^\/api\/v1\/events(\/|$)/,
  /^\/v1\/spaces\/[^/]+\/collections\/users\/profiles(\/|$)/,
  /^\/api\/v1\/privacy\/requests\/[^/]+\/document$/,
  // Bulk imports write people's records; their error files hold rejected rows as sent.
  /^\/api\/v1\/(crm\/)?imports(\/|$)/,
];

/**
 * Whether a request reads or changes personal data, from its method and path: unified
 * profiles, customer views, raw events, the Profile API, CRM contacts, access documents, bulk
 * imports, and any export. Routes can override this with their `audit` flag.
 */
export function auditActionFor(method: string, path: string): AuditAction | undefined {
  if (method === 'OPTIONS' || method === 'HEAD') return undefined;
  if (/(^|\/)exports?(\/|$)/.test(path)) return 'export';
  if (crmPerson.test(path)) {
    return method === 'GET' || (method === 'POST' && readPosts.test(path)) ? 'read' : 'write';
  }
  if (personalApi.some((pattern) => pattern.test(path))) return method === 'GET' ? 'read' : 'write';
  return undefined;
}

/**
 * The path as the audit log keeps it: a segment that is an identifier (`email:ada@...`,
 * `user_id:42`, a bare e-mail or phone number) becomes its salted digest, so the log, which is
 * never erased, holds nothing an erasure would have to remove. The same identifier always
 * gives the same digest, so entries about one person can still be found.
 */
export function auditResource(path: string, salt: string): string {
  return path
    .split('/')
    .map((segment) => {
      let text: string;
      try {
        text = decodeURIComponent(segment);
      } catch {
        text = segment;
      }
      const typed = /^([a-z_]+):(.+)$/.exec(text);
      if (typed?.[1] && typed[2] && typed[1] !== 'profile_id') {
        return `${typed[1]}:~${digestOf(salt, typed[2]).slice(0, 22)}`;
      }
      if (text.includes('@') || /^\+?\d[\d\s().-]{6,}$/.test(text)) {
        return `~${digestOf(salt, text).slice(0, 22)}`;
      }
      return segment;
    })
    .join('/');
}

/** The key under which an identifier's audit entries are found (see `auditResource`). */
export function auditKeyOf(salt: string, type: string, value: string): string {
  return `${type}:~${digestOf(salt, value).slice(0, 22)}`;
}

export interface AuditedCall {
  method: string;
  /** The request URL; its query string is dropped (it may carry identifiers or keys). */
  url: string;
  /** `usr_...` / `tok_...`; undefined on public routes. */
  actor: string | undefined;
  requestId: string;
  status: number;
}

/**
 * Writes an HTTP call to the audit log when it touches personal data: `flag` is the route's own
 * `audit` setting (false: never), else the path decides (see `auditActionFor`).
 */
export async function auditHttpCall(
  deps: { db: Kysely<DB>; clock: Clock },
  flag: AuditAction | false | undefined,
  call: AuditedCall,
): Promise<void> {
  if (flag === false) return;
  const q = call.url.indexOf('?');
  const path = q === -1 ? call.url : call.url.slice(0, q);
  const action = flag ?? auditActionFor(call.method, path);
  if (!action) return;
  await auditRequest(deps, { ...call, action, path, actor: call.actor ?? 'anonymous' });
}

/** Records one audited HTTP request. */
export async function auditRequest(
  deps: { db: Kysely<DB>; clock: Clock },
  entry: { action: string; path: string; actor: string; requestId: string; status: number },
): Promise<void> {
  const now = iso(deps.clock.now());
  const salt = await identifierSalt(deps.db, now);
  await appendAudit(deps.db, [
    {
      at: now,
      actor: entry.actor,
      action: entry.action,
      resource: auditResource(entry.path, salt),
      requestId: entry.requestId,
      status: entry.status,
    },
  ]);
}
