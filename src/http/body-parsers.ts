import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { AppError } from '../kernel/errors.js';

/**
 * JSON bodies are parsed with prototype-poisoning protection, and each way a body can be
 * wrong gets its own clear message (Fastify's default folds them into one).
 */
export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseJsonBody(body as string));
  });
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '')
    throw new AppError('malformed_json', 'The body is empty but the content type says JSON');
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const message = (error as Error).message;
    if (/prototype property/.test(message)) {
      throw new AppError(
        'bad_request',
        'The body contains a forbidden "__proto__" or "constructor.prototype" key',
      );
    }
    throw new AppError('malformed_json', `The body is not valid JSON: ${message}`);
  }
}
