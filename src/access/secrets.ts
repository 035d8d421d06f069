import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * API tokens and session tokens are 256-bit random values, so a fast hash is enough to make a
 * leaked database useless; passwords are chosen by people and get a slow, salted KDF instead.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

// scrypt N=2^15, r=8, p=1 (32 MiB, tens of milliseconds): OWASP's floor is N=2^17 with the
// same r and p, traded here for a server that stays responsive on two cores.
const scryptParams = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, scryptParams);
  const { N, r, p } = scryptParams;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: scryptParams.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash that verifies nothing, so unknown e-mails cost as much time as wrong passwords. */
export const unusablePasswordHash = `scrypt$${2 ** 15}$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;

function derive(password: string, salt: Buffer, params: typeof scryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, params, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}
