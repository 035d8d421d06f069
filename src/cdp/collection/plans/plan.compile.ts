import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { AppError, type ErrorDetail } from '../../../kernel/errors.js';
import type { CompiledPlan, PlanCheck, PlanViolation } from '../pipeline/index.js';
import type { PlanDocument } from './plan.js';

// ajv-formats ships CommonJS with a default export that NodeNext sees one level down.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Compiles every schema of a plan once (ajv generates a JavaScript function per schema), so
 * the hot path only calls functions. Throws `validation_failed` naming each schema that is not
 * valid JSON Schema, which is how a bad plan is refused before it is stored.
 */
export function compilePlan(doc: PlanDocument, version: number): CompiledPlan {
  // One validator instance per plan version: schemas of different plans never share
  // definitions, and an old version's functions are collected with it.
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateFormats: true }));
  const problems: ErrorDetail[] = [];
  const compile = (field: string, schema: unknown, properties: boolean): PlanCheck | null => {
    if (schema === undefined || schema === null) return null;
    try {
      return toCheck(ajv.compile(schema as object), properties ? plannedKeys(schema) : null);
    } catch (error) {
      problems.push({ field, message: (error as Error).message });
      return null;
    }
  };
  const track = new Map<string, PlanCheck>();
  for (const [name, schema] of Object.entries(doc.track ?? {})) {
    const check = compile(`track.${name}`, schema, true);
    if (check) track.set(name, check);
  }
  const compiled: CompiledPlan = {
    version,
    mode: doc.mode,
    common: compile('common', doc.common, false),
    track,
    identify: compile('identify', doc.identify, true),
    page: compile('page', doc.page, true),
  };
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      `The tracking plan has ${problems.length} invalid JSON Schema(s)`,
      problems,
    );
  }
  return compiled;
}

function toCheck(validate: ValidateFunction, planned: ReadonlySet<string> | null): PlanCheck {
  return {
    planned,
    validate(value) {
      if (validate(value)) return [];
      const errors = validate.errors ?? [];
      const out: PlanViolation[] = [];
      for (const error of errors) {
        // Keys outside a closed schema are reported once, as unplanned properties.
        if (planned && error.keyword === 'additionalProperties' && error.instancePath === '') {
          continue;
        }
        out.push(toViolation(error));
      }
      return out;
    },
  };
}

function toViolation(error: ErrorObject): PlanViolation {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (error.keyword === 'required' && typeof missing === 'string') segments.push(missing);
  const property = segments.length > 0 ? segments.join('.') : null;
  const message =
    error.keyword === 'required'
      ? `${property ?? 'value'} is required`
      : `${property ?? 'value'} ${error.message ?? 'is invalid'}`;
  return { kind: error.keyword, property, message };
}

/**
 * The top-level keys a properties/traits schema plans. Segment's rule: a key the plan does not
 * list is unplanned, unless the schema says any key is fine (`additionalProperties` true or a
 * schema, or `patternProperties`).
 */
function plannedKeys(schema: unknown): ReadonlySet<string> | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  const extra = s.additionalProperties;
  if (extra === true || (typeof extra === 'object' && extra !== null)) return null;
  if (s.patternProperties !== undefined) return null;
  const properties = s.properties;
  if (typeof properties !== 'object' || properties === null) return new Set();
  return new Set(Object.keys(properties));
}
