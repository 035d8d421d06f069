import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats ships CommonJS with a default export that NodeNext sees one level down.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Bodies are validated strictly: `{"name": 42}` is an error, not the string "42". Query
 * strings, path parameters and headers arrive as text, so those are coerced to the declared
 * types (`?limit=10` becomes the integer 10).
 */
export function installValidation(app: FastifyInstance): void {
  const base: Options = {
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  };
  const strictAjv = addFormats(new Ajv({ ...base, coerceTypes: false }));
  const coercingAjv = addFormats(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema),
  );
}
