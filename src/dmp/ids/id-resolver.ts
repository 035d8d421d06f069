import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { ErrorDetail } from '../../kernel/errors.js';
import { isSha256Hex } from '../../privacy/pii/index.js';
import type { DB } from '../../storage/schema.js';
import { isDmpId, newDmpId, normalizeIfa } from './dmp-id.js';
import * as repo from './id.repository.js';

/**
 * How server-to-server callers name a device: a DMP ID, a device advertising ID (`ifa`), a
 * SHA-256 of a normalised e-mail (`hem`, the only e-mail-derived value accepted), or a partner's
 * own user ID (resolved through the match table).
 */
export type IdRef =
  | { type: 'dmp'; value: string }
  | { type: 'ifa'; value: string }
  | { type: 'hem'; value: string }
  | { type: 'partner'; value: string; partner: string };

/** Validates an ID reference's shape; returns it normalised, or the problem. */
export function checkIdRef(
  raw: { type: string; value: string; partner?: string | undefined },
  field: string,
): { ok: true; ref: IdRef } | { ok: false; issue: ErrorDetail } {
  switch (raw.type) {
    case 'dmp':
      return isDmpId(raw.value)
        ? { ok: true, ref: { type: 'dmp', value: raw.value } }
        : { ok: false, issue: { field, message: 'not a DMP ID (td_ + 26 characters)' } };
    case 'ifa': {
      const ifa = normalizeIfa(raw.value);
      return ifa
        ? { ok: true, ref: { type: 'ifa', value: ifa } }
        : {
            ok: false,
            issue: { field, message: 'an advertising ID is a non-zero UUID (IDFA, GAID, ...)' },
          };
    }
    case 'hem':
      return isSha256Hex(raw.value)
        ? { ok: true, ref: { type: 'hem', value: raw.value.toLowerCase() } }
        : {
            ok: false,
            issue: {
              field,
              message: 'hem is the SHA-256 hex of a normalised e-mail; plain e-mails are refused',
            },
          };
    case 'partner':
      return raw.partner && raw.value.length > 0 && raw.value.length <= 256
        ? { ok: true, ref: { type: 'partner', value: raw.value, partner: raw.partner } }
        : { ok: false, issue: { field, message: 'a partner ID needs partner and value' } };
    default:
      return { ok: false, issue: { field, message: 'type is one of dmp, ifa, hem, partner' } };
  }
}

/**
 * The DMP ID a reference names. Device and hashed-e-mail IDs get a DMP ID minted on first sight
 * when `create` is set; DMP IDs and partner IDs are never invented (an unknown one resolves to
 * undefined: it was purged, or never synced).
 */
export async function resolveIdRef(
  db: Kysely<DB>,
  ref: IdRef,
  now: Date,
  create: boolean,
): Promise<string | undefined> {
  switch (ref.type) {
    case 'dmp':
      return (await repo.idExists(db, ref.value)) ? ref.value : undefined;
    case 'partner': {
      const row = await db
        .selectFrom('dmp_matches')
        .select('dmp_id')
        .where('partner_id', '=', ref.partner)
        .where('partner_uid', '=', ref.value)
        .executeTakeFirst();
      return row?.dmp_id;
    }
    case 'ifa':
    case 'hem': {
      const existing = await repo.findAlias(db, ref.type, ref.value);
      if (existing || !create) return existing;
      const dmpId = newDmpId();
      await repo.insertAlias(db, {
        kind: ref.type,
        value: ref.value,
        dmp_id: dmpId,
        created_at: iso(now),
      });
      // A concurrent request may have won the alias; its DMP ID is the one that counts.
      return (await repo.findAlias(db, ref.type, ref.value)) ?? dmpId;
    }
  }
}
