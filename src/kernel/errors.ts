/**
 * Stable error codes. Clients match on these, so a code is never renamed or reused; the HTTP
 * status for each lives in one exhaustive table in `http/problem.ts`.
 */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'conflict',
  'consent_required',
  'subject_erased',
  'smtp_not_configured',
  'insufficient_data',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetail {
  /** JSON pointer or field name the detail is about. */
  field?: string;
  message: string;
}

/** An expected failure with a stable code; anything else that is thrown is a bug (500). */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Response headers the error implies, e.g. `Retry-After` on 429. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found`);
export const conflict = (message: string) => new AppError('conflict', message);
export const badRequest = (message: string, details?: ErrorDetail[]) =>
  new AppError('bad_request', message, details);
