import { iso } from '../../kernel/clock.js';
import { AppError, badRequest } from '../../kernel/errors.js';
import { type DmpDeps, forgetIds } from '../collect/collect.service.js';
import { type ConsentFields, consentFrom } from '../collect/consent.js';
import { assertNoPiiText } from '../collect/firewall.js';
import { isDmpId, newDmpId, reusableCookieId } from '../ids/dmp-id.js';
import { touchId } from '../ids/id.repository.js';
import { upsertMatch } from './match.repository.js';
import { findPartner } from './partner.repository.js';
import { toPartner } from './partner.service.js';
import { checkRedirect, fillMacro } from './redirect.js';

export interface InboundSync {
  partner: string;
  /** The partner's own user ID for this browser; absent when the partner only wants ours. */
  puid?: string | undefined;
  /** Where to send the browser next, with `${TRIAD_DMP_ID}` standing for our ID. */
  redir?: string | undefined;
  cookieId: string | undefined;
  optedOut: boolean;
  consent: ConsentFields;
  secGpc: boolean;
}

export interface SyncOutcome {
  /** The redirect target with the macro filled, when `redir` was given. */
  location: string | undefined;
  /** The cookie to set; null when none may be set. */
  dmpId: string | null;
  matched: boolean;
  /** True when the browser's cookie must go (its storage consent is gone). */
  expireCookie: boolean;
}

const PUID = /^[\x21-\x7e]{1,256}$/;

/**
 * An inbound ID sync (a partner's pixel redirecting a browser to us). Everything is checked
 * before anything is stored: unknown partner, a redirect off the partner's domains, a malformed
 * consent string or a partner ID that looks like personal data are 400s. Without storage consent
 * (or after an opt-out) the browser is still redirected, with an empty ID, and nothing is kept.
 */
export async function inboundSync(deps: DmpDeps, input: InboundSync): Promise<SyncOutcome> {
  const row = await findPartner(deps.db, input.partner);
  if (!row) {
    throw badRequest('Unknown sync partner: register it first (POST /api/v1/dmp/partners)', [
      { field: 'partner', message: 'not a registered partner' },
    ]);
  }
  const partner = toPartner(row);
  if (input.puid !== undefined) {
    if (!PUID.test(input.puid)) {
      throw badRequest('puid is 1-256 printable ASCII characters', [
        { field: 'puid', message: 'invalid partner user ID' },
      ]);
    }
    assertNoPiiText(input.puid, 'puid');
  }
  if (input.redir !== undefined) {
    // Checked with a placeholder first, so a refused redirect stores nothing.
    const probe = checkRedirect(fillMacro(input.redir, 'td_probe'), partner.domains);
    if (!probe.ok) throw badRequest(probe.reason, [{ field: 'redir', message: probe.reason }]);
  }
  const consent = consentFrom(input.consent, input.secGpc, deps.dmp.config.tcfVendorId);
  if (!consent.ok)
    throw new AppError('bad_request', 'A consent string is malformed', consent.issues);

  const cookieId = reusableCookieId(input.cookieId);
  let dmpId: string | null = null;
  let matched = false;
  let expireCookie = false;
  if (!input.optedOut && consent.decision.store) {
    dmpId = cookieId ?? newDmpId();
    const now = iso(deps.clock.now());
    const id = dmpId;
    const activatable = consent.decision.activate;
    await deps.db.transaction().execute(async (trx) => {
      await touchId(trx, id, now, activatable);
      if (input.puid !== undefined) {
        await upsertMatch(
          trx,
          { partner_id: partner.id, partner_uid: input.puid, dmp_id: id, created_at: now },
          deps.dmp.options.maxPartnerIdsPerId,
        );
      }
    });
    // The activation flag may have changed: the next lookup reloads it from the store.
    await deps.dmp.hotStore.remove([id]);
    matched = input.puid !== undefined;
  } else if (cookieId && !input.optedOut) {
    await forgetIds(deps, [cookieId]);
    expireCookie = true;
  }
  let location: string | undefined;
  if (input.redir !== undefined) {
    const target = checkRedirect(fillMacro(input.redir, dmpId), partner.domains);
    if (!target.ok) throw badRequest(target.reason, [{ field: 'redir', message: target.reason }]);
    location = target.url;
  }
  return { location, dmpId, matched, expireCookie };
}
