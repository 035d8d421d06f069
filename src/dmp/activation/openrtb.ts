import type { ErrorDetail } from '../../kernel/errors.js';
import type { ConsentFields } from '../collect/consent.js';
import { SEGTAX_AUDIENCE_1_1 } from '../taxonomy/taxonomy.js';

/**
 * OpenRTB 2.6 enrichment as pure functions. A BidRequest is handled as plain JSON: only the
 * fields read here are typed, and everything else passes through untouched.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The structural checks a BidRequest must pass (OpenRTB 2.6 section 3.2.1 and friends). */
export function checkBidRequest(body: JsonObject): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  if (typeof body.id !== 'string' || body.id === '') {
    issues.push({ field: 'id', message: 'a BidRequest has a non-empty string id' });
  }
  if (!Array.isArray(body.imp) || body.imp.length === 0 || !body.imp.every(isObject)) {
    issues.push({ field: 'imp', message: 'a BidRequest has a non-empty array of Imp objects' });
  }
  for (const name of ['user', 'regs', 'device', 'site', 'app'] as const) {
    if (body[name] !== undefined && !isObject(body[name])) {
      issues.push({ field: name, message: 'must be an object' });
    }
  }
  const user = body.user;
  if (isObject(user)) {
    if (user.data !== undefined && !Array.isArray(user.data)) {
      issues.push({ field: 'user.data', message: 'must be an array of Data objects' });
    }
    if (user.eids !== undefined && !Array.isArray(user.eids)) {
      issues.push({ field: 'user.eids', message: 'must be an array of EID objects' });
    }
  }
  return issues;
}

/**
 * The DMP ID of the request: the first `user.eids[]` entry whose `source` is the DMP's domain,
 * else `user.buyeruid`, else `user.id`.
 */
export function dmpIdOf(body: JsonObject, domain: string): string | undefined {
  const user = body.user;
  if (!isObject(user)) return undefined;
  if (Array.isArray(user.eids)) {
    for (const eid of user.eids) {
      if (!isObject(eid) || eid.source !== domain || !Array.isArray(eid.uids)) continue;
      for (const uid of eid.uids) {
        if (isObject(uid) && typeof uid.id === 'string' && uid.id !== '') return uid.id;
      }
    }
  }
  if (typeof user.buyeruid === 'string' && user.buyeruid !== '') return user.buyeruid;
  if (typeof user.id === 'string' && user.id !== '') return user.id;
  return undefined;
}

/**
 * Consent fields of a BidRequest: `regs.gdpr`, `user.consent`, `regs.gpp`, `regs.gpp_sid`
 * (OpenRTB 2.6), falling back to the 2.5 extension fields `regs.ext.gdpr` and
 * `user.ext.consent` that many exchanges still send.
 */
export function consentOf(body: JsonObject): ConsentFields {
  const regs = isObject(body.regs) ? body.regs : {};
  const user = isObject(body.user) ? body.user : {};
  const regsExt = isObject(regs.ext) ? regs.ext : {};
  const userExt = isObject(user.ext) ? user.ext : {};
  return {
    gdpr: regs.gdpr ?? regsExt.gdpr ?? undefined,
    gdpr_consent: user.consent ?? userExt.consent ?? undefined,
    gpp: regs.gpp ?? undefined,
    gpp_sid: regs.gpp_sid ?? undefined,
  };
}

/** `device.lmt = 1`: the device limits ad tracking, so nothing is activated. */
export function limitsAdTracking(body: JsonObject): boolean {
  return isObject(body.device) && body.device.lmt === 1;
}

/**
 * A copy of the request whose `user.data` gains one Data object naming the DMP, with the
 * taxonomy IDs as segments (`ext.segtax = 4`). The input is not modified.
 */
export function withSegments(body: JsonObject, domain: string, taxonomyIds: number[]): JsonObject {
  const copy = structuredClone(body);
  const user: JsonObject = isObject(copy.user) ? copy.user : {};
  const data: Json[] = Array.isArray(user.data) ? user.data : [];
  data.push({
    name: domain,
    ext: { segtax: SEGTAX_AUDIENCE_1_1 },
    segment: taxonomyIds.map((id) => ({ id: String(id) })),
  });
  user.data = data;
  copy.user = user;
  return copy;
}
