import { createHmac } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Outbound HTTP for destinations with an SSRF guard. The guard checks the *resolved* address
 * at connection time (a custom `lookup`), so a host name that resolves to a private address,
 * or re-resolves to one after a check (DNS rebinding), is refused all the same. Private,
 * loopback, link-local, CGNAT, multicast and reserved ranges are refused unless an admin
 * allow-listed the host name or a range containing the address.
 */

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** Host names and CIDR ranges an admin allowed (`localhost`, `127.0.0.1/32`, `10.0.0.0/8`). */
export interface EgressAllowList {
  hosts: Set<string>;
  ranges: BlockList;
}

export function allowListOf(entries: string[]): EgressAllowList {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const [address, bits] = entry.split('/');
    const family = address ? isIP(address) : 0;
    if (address && family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      ranges.addSubnet(address, bits ? Number(bits) : family === 4 ? 32 : 128, type);
    } else hosts.add(entry);
  }
  return { hosts, ranges };
}

/** Validates an allow-list entry: a host name, an IP address or a CIDR range. */
export function isAllowEntry(entry: string): boolean {
  const [address, bits, extra] = entry.trim().split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return bits === undefined && /^[a-z0-9.-]{1,253}$/i.test(address);
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** Whether an address may be contacted for this host name. */
export function addressAllowed(host: string, address: string, allow: EgressAllowList): boolean {
  const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  const family = isIP(mapped);
  if (family === 0) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allow.hosts.has(host.toLowerCase()) || allow.ranges.check(mapped, type)) return true;
  return !blocked.check(mapped, type);
}

function guardedLookup(host: string, allow: EgressAllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const ok = addresses.filter((a) => addressAllowed(host, a.address, allow));
      const first = ok[0];
      if (!first) {
        const refused = new Error(
          `egress refused: ${hostname} resolves to a private or reserved address`,
        ) as NodeJS.ErrnoException;
        refused.code = 'EGRESS_REFUSED';
        return callback(refused, '', 0);
      }
      if (options.all) return (callback as (e: null, a: typeof ok) => void)(null, ok);
      callback(null, first.address, first.family);
    });
  };
}

export interface SendResult {
  status: number | null;
  error: string | null;
  latencyMs: number;
}

/** `v1=` HMAC-SHA256 over `timestamp.body` with the destination's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POSTs a signed JSON body. Never throws: network errors, refusals and timeouts come back as
 * `error` with a null status.
 */
export function sendSigned(
  url: string,
  body: string,
  opts: {
    secret: string;
    idempotencyKey: string;
    allow: EgressAllowList;
    timeoutMs: number;
    now: Date;
  },
): Promise<SendResult> {
  const started = performance.now();
  const done = (status: number | null, error: string | null): SendResult => ({
    status,
    error,
    latencyMs: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done(null, 'invalid URL'));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return Promise.resolve(done(null, 'only http and https are allowed'));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // Literal addresses skip DNS (and so the lookup hook): check them here.
  if (isIP(host) !== 0 && !addressAllowed(host, host, opts.allow))
    return Promise.resolve(done(null, `egress refused: ${host} is a private or reserved address`));
  const timestamp = String(Math.floor(opts.now.getTime() / 1000));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        lookup: guardedLookup(host, opts.allow),
        timeout: opts.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Triad-Destinations/1',
          'idempotency-key': opts.idempotencyKey,
          'x-triad-timestamp': timestamp,
          'x-triad-signature': signature(opts.secret, timestamp, body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(done(res.statusCode ?? null, null)));
        res.on('error', (e) => resolve(done(res.statusCode ?? null, e.message)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on('error', (e) => resolve(done(null, e.message)));
    req.end(body);
  });
}
