import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import type { Source } from '../sources/source.js';
import { findSourceByWriteKey } from '../sources/source.service.js';
import { extractWriteKey } from './pipeline/index.js';

/**
 * The source a collection request writes to. SDKs send the write key as the HTTP Basic user
 * name with an empty password; Segment's also repeat it as `writeKey` in the body, which is all
 * some server-side senders provide. An unknown key is 401, a disabled source 403.
 */
export async function sourceForRequest(
  deps: Pick<Deps, 'db'>,
  authorization: string | undefined,
  body: unknown,
): Promise<Source> {
  const writeKey = writeKeyFromBasic(authorization) ?? extractWriteKey(body);
  if (!writeKey) {
    throw new AppError(
      'unauthorized',
      'Missing write key: send it as the HTTP Basic user name (password empty) or as "writeKey" in the body',
    );
  }
  const source = await findSourceByWriteKey(deps, writeKey);
  if (!source) throw new AppError('unauthorized', 'Unknown write key');
  if (!source.enabled) throw new AppError('forbidden', `Source "${source.name}" is disabled`);
  return source;
}

function writeKeyFromBasic(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'basic' || !value) return undefined;
  const user = Buffer.from(value, 'base64').toString('utf8').split(':', 1)[0];
  return user ? user : undefined;
}
