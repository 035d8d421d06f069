import type { FastifyError } from 'fastify';
import { AppError, type ErrorCode, type ErrorDetail } from '../kernel/errors.js';

/** The one place that decides the HTTP status of each error code. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'validation_failed':
    case 'malformed_json':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
    case 'route_not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'conflict':
    case 'consent_required':
    case 'subject_erased':
    case 'smtp_not_configured':
      return 409;
    case 'insufficient_data':
      return 422;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
    case 'unavailable':
      return 503;
  }
}

const titles: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  malformed_json: 'Malformed JSON',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'Payload too large',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  route_not_found: 'Route not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  consent_required: 'Consent required',
  subject_erased: 'Subject erased',
  smtp_not_configured: 'SMTP not configured',
  insufficient_data: 'Insufficient data',
  rate_limited: 'Too many requests',
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: ErrorDetail[];
}

export const problemContentType = 'application/problem+json; charset=utf-8';

export function problemBody(error: AppError, requestId: string, instance?: string): ProblemBody {
  const body: ProblemBody = {
    type: `urn:triad:problem:${error.code}`,
    title: titles[error.code],
    status: statusOf(error.code),
    code: error.code,
    detail: error.message,
    requestId,
  };
  if (instance !== undefined) body.instance = instance;
  if (error.details.length > 0) body.errors = error.details;
  return body;
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Turns anything thrown while serving a request into an AppError. Errors Fastify raises for
 * bad input (parsing, limits, schema validation) become 4xx; whatever is left is a bug.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: AjvIssue[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    const where = fastifyError.validationContext ?? 'body';
    const details = fastifyError.validation.map((issue) => ({
      field: fieldOf(where, issue),
      message: issue.message ?? 'is invalid',
    }));
    const first = details[0];
    const summary = first ? `${first.field} ${first.message}` : 'request is invalid';
    return new AppError(
      'validation_failed',
      `The request ${where} is invalid: ${summary}`,
      details,
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', fastifyError.message ?? 'The body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(
        'payload_too_large',
        'The request body is larger than this endpoint accepts',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new AppError('unsupported_media_type', 'The request content type is not supported here')
        : new AppError('bad_request', 'Content-Length does not match the body');
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_CONTENT_TYPE') {
    return new AppError(
      'malformed_json',
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
  // Two writers racing for the same unique value: the database, not a pre-check, is the
  // arbiter, and the loser gets a 409 like any other conflict.
  if (isUniqueViolation(error)) {
    return new AppError('conflict', 'A record with the same unique value already exists');
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(codeForStatus(status), fastifyError.message ?? 'Bad request');
  }
  return new AppError('internal', 'An unexpected error occurred; it has been logged');
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return 'bad_request';
  }
}

function fieldOf(where: string, issue: AjvIssue): string {
  const missing = issue.params?.missingProperty;
  const path = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const field = typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
  return field === '' ? where : field;
}

const uniqueViolationCodes = new Set([
  '23505',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && uniqueViolationCodes.has(code);
}
