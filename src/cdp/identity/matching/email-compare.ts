/**
 * Email comparison. An address is two facts: who (the local part) and where (the domain). The
 * same local part at another domain is usually the same person moving provider; a couple of
 * character edits is usually a typo.
 */
import { osaDistance } from './edit-distance.js';
import { jaroWinkler } from './jaro.js';
import { splitEmail } from './normalize.js';

/**
 * How two normalised emails agree:
 * - `exact`;
 * - `same-local-part`: identical local part, different domain;
 * - `close`: at most `maxEdits` edits apart overall, or the same domain with local parts of
 *   Jaro–Winkler similarity at least 0.9 (a typo in the name part);
 * - `different`.
 */
export type EmailAgreement = 'exact' | 'same-local-part' | 'close' | 'different';

/** Compares two normalised emails; see {@link EmailAgreement}. */
export function compareEmails(a: string, b: string, maxEdits = 2): EmailAgreement {
  if (a === b) return 'exact';
  const ea = splitEmail(a);
  const eb = splitEmail(b);
  if (ea.local === eb.local) return 'same-local-part';
  if (Math.abs(a.length - b.length) <= maxEdits && osaDistance(a, b) <= maxEdits) return 'close';
  if (ea.domain === eb.domain && jaroWinkler(ea.local, eb.local) >= 0.9) return 'close';
  return 'different';
}
