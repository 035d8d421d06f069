/**
 * Sync redirects. The `redir` target must be an http(s) URL on one of the partner's registered
 * domains (or a subdomain): anything else would make the sync endpoint an open redirect.
 */

// Built from parts: the macro is literal text partners put in URLs, not a template.
export const DMP_ID_MACRO = `$${'{'}TRIAD_DMP_ID}`;
const ENCODED_MACRO = /%24%7BTRIAD_DMP_ID%7D/gi;

/** Replaces the macro (plain or percent-encoded) with the URL-encoded ID ('' when there is none). */
export function fillMacro(target: string, dmpId: string | null): string {
  const value = encodeURIComponent(dmpId ?? '');
  return target.replaceAll(DMP_ID_MACRO, value).replace(ENCODED_MACRO, value);
}

/** True when `hostname` is `domain` or one of its subdomains. */
export function hostMatches(hostname: string, domain: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === domain || host.endsWith(`.${domain}`);
}

/** The redirect URL if it is allowed for these domains, else a reason it is not. */
export function checkRedirect(
  target: string,
  domains: readonly string[],
): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { ok: false, reason: 'redir is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'redir must be an http or https URL' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'redir may not carry credentials' };
  }
  if (!domains.some((domain) => hostMatches(url.hostname, domain))) {
    return { ok: false, reason: "redir is not on one of the partner's registered domains" };
  }
  return { ok: true, url: url.toString() };
}

const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** A registrable domain name in lower case, or null. */
export function normalizeDomain(value: string): string | null {
  const domain = value.trim().toLowerCase().replace(/\.$/, '');
  return DOMAIN.test(domain) ? domain : null;
}
