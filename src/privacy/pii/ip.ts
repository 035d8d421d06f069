import { isIPv6 } from 'node:net';

/**
 * IP address detection. An address counts as personal data only when it can still single out a
 * host, so two deliberate exclusions keep common non-personal values quiet:
 * - IPv4 addresses ending in .0 and IPv6 addresses whose interface identifier (last 64 bits) is
 *   zero: that is how IPs are anonymised (truncated) before storage, and how networks are named;
 * - IPv4 addresses glued to a word or a slash ("Chrome/120.0.0.0", "v1.2.3.4"), which are
 *   version numbers, and addresses whose first octet is 0 or 255 (masks, "this network").
 * A bare dotted version such as "1.2.3.4" is still reported: it is indistinguishable from an IP.
 */

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(
  `(?<![\\w./-])(${OCTET})\\.${OCTET}\\.${OCTET}\\.(${OCTET})(?![\\w]|\\.\\d)`,
  'g',
);
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}|:)?(?![\w:]|\.\d)/gi;

/** Expands an IPv6 address (already validated) to its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

/** First IPv4 address in `text` that identifies a host, or null. */
export function findIpv4(text: string): string | null {
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) {
    const first = Number(m[1]);
    const last = Number(m[2]);
    if (first === 0 || first === 255 || last === 0) continue;
    return m[0];
  }
  return null;
}

/** First IPv6 address in `text` that identifies a host, or null. */
export function findIpv6(text: string): string | null {
  if (!text.includes(':')) return null;
  IPV6_CANDIDATE.lastIndex = 0;
  for (let m = IPV6_CANDIDATE.exec(text); m !== null; m = IPV6_CANDIDATE.exec(text)) {
    const candidate = m[0];
    if (!isIPv6(candidate)) continue;
    const groups = ipv6Groups(candidate);
    const interfaceId = groups.slice(4);
    if (interfaceId.every((g) => g === 0)) continue; // truncated /64 or network prefix
    if (groups.slice(0, 7).every((g) => g === 0)) continue; // ::1 loopback and ::
    return candidate;
  }
  return null;
}

/** First host-identifying IPv4 or IPv6 address in `text`, or null. */
export function findIp(text: string): string | null {
  return findIpv4(text) ?? findIpv6(text);
}
