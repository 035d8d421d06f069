import { TextDecoder } from 'node:util';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../kernel/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * How SDKs send events is not how the management API is called: analytics.js posts JSON as
 * `text/plain` (to skip CORS preflights where it can), RudderStack's Node SDK posts gzip JSON
 * labelled `application/x-www-form-urlencoded`. Inside the collection scope every body is read
 * as bytes, decompressed within the size limit, checked as UTF-8 and parsed as JSON, whatever
 * its label says.
 */
export function installCollectionBodyParser(scope: FastifyInstance, maxBytes: number): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (request, body, done) => {
      try {
        done(
          null,
          decodeCollectionBody(body as Buffer, request.headers['content-encoding'], maxBytes),
        );
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}

export function decodeCollectionBody(
  raw: Buffer,
  encoding: string | string[] | undefined,
  maxBytes: number,
): unknown {
  const bytes = decompress(
    raw,
    String(encoding ?? 'identity')
      .trim()
      .toLowerCase(),
    maxBytes,
  );
  if (bytes.length === 0) throw new AppError('malformed_json', 'The body is empty');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new AppError('bad_request', 'The body is not valid UTF-8');
  }
  try {
    // Plain JSON.parse on purpose: "__proto__" becomes an ordinary own key (no prototype is
    // touched), and the pipeline rejects just the message that carries it, keeping the rest
    // of the batch.
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('malformed_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function decompress(raw: Buffer, encoding: string, maxBytes: number): Buffer {
  const options = { maxOutputLength: maxBytes };
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(raw, options);
      case 'deflate':
        return inflateSync(raw, options);
      case 'br':
        return brotliDecompressSync(raw, options);
      default:
        throw new AppError(
          'unsupported_media_type',
          `Content-Encoding "${encoding}" is not supported; use gzip, deflate or br`,
        );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (
      (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
      error instanceof RangeError
    ) {
      throw new AppError(
        'payload_too_large',
        `The decompressed body is larger than ${maxBytes} bytes`,
      );
    }
    throw new AppError('bad_request', `The body is not valid ${encoding} data`);
  }
}

const allowedHeaders = 'authorization, content-type, content-encoding, x-retry-count';

/**
 * Browsers post events from the customer's own site, another origin: answer preflights and
 * mark responses readable by any origin (write keys are public; the data is write-only).
 */
export function installCollectionCors(scope: FastifyInstance): void {
  scope.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('access-control-allow-origin', origin ?? '*');
    reply.header('vary', 'Origin');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      reply.header('access-control-allow-headers', allowedHeaders);
      reply.header('access-control-max-age', '86400');
    }
  });
}
