import { BlockList, isIP } from 'node:net';

/** Compiled trusted-proxy lists by content; configurations are few, so a small cap is plenty. */
const compiled = new Map<string, BlockList>();
const MAX_COMPILED = 32;

/**
 * The end user's IP address behind zero or more trusted reverse proxies.
 *
 * `X-Forwarded-For` is read right to left: each proxy appends the address that connected to it,
 * so entries are only as trustworthy as the proxy that wrote them. Starting from the socket's
 * `remoteAddress`, every address in `trustedProxies` (IPs or CIDRs, IPv4 or IPv6) hands over to
 * the entry before it; the first address that is not a trusted proxy is the client. So:
 *
 * - a connection from an untrusted address returns that address, whatever the header says
 *   (anyone can send `X-Forwarded-For`);
 * - when every hop is trusted, the leftmost entry is the client;
 * - an entry that is not an IP (`unknown`, obfuscated nginx identifiers) ends the walk at the
 *   last trusted address, because nothing written further left can be vouched for.
 *
 * Ports (`1.2.3.4:5678`, `[::1]:80`) are dropped and IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is
 * reported as plain IPv4. Invalid `trustedProxies` entries are ignored. Returns `null` when
 * `remoteAddress` is missing or not an IP. Never throws.
 */
export function clientIp(
  remoteAddress: string | null | undefined,
  xForwardedFor: string | readonly string[] | null | undefined,
  trustedProxies: readonly string[],
): string | null {
  const socketIp = remoteAddress == null ? null : parseAddress(remoteAddress);
  if (socketIp === null) return null;
  const trusted = compileTrusted(trustedProxies);
  let current = socketIp;
  const hops = splitHeader(xForwardedFor);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trusted, current)) return current;
    const hop = parseAddress(hops[i] ?? '');
    if (hop === null) return current;
    current = hop;
  }
  return current;
}

function splitHeader(header: string | readonly string[] | null | undefined): string[] {
  if (header == null) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  return joined
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A bare IP from an address that may carry a port, brackets or the IPv4-mapped prefix. */
export function parseAddress(text: string): string | null {
  let value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1] !== undefined) {
    value = bracketed[1];
  } else if (/^[\d.]+:\d+$/.test(value)) {
    value = value.slice(0, value.lastIndexOf(':'));
  }
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1] !== undefined) value = mapped[1];
  return isIP(value) === 0 ? null : value;
}

function compileTrusted(entries: readonly string[]): BlockList {
  const key = entries.join('\n');
  const cached = compiled.get(key);
  if (cached) return cached;
  const list = new BlockList();
  for (const entry of entries) {
    try {
      addEntry(list, entry);
    } catch {
      // An invalid entry trusts nothing; the others still apply.
    }
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(key, list);
  return list;
}

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.trim().split('/');
  const ip = parseAddress(address);
  if (ip === null) return;
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) {
    list.addAddress(ip, family);
    return;
  }
  const bits = Number(prefix);
  const max = family === 'ipv4' ? 32 : 128;
  if (!/^\d+$/.test(prefix) || bits > max) return;
  list.addSubnet(ip, bits, family);
}

function isTrusted(list: BlockList, ip: string): boolean {
  try {
    return list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
}
