import type { AppError } from '../kernel/errors.js';
import { statusOf } from './problem.js';

/**
 * HubSpot's CRM API error body, so scripts written against HubSpot read Triad's errors the same
 * way. The stable Triad `code` rides along for clients that want it.
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  code: string;
  errors?: { message: string; context?: { propertyName?: string[] } }[];
}

export function hubSpotErrorBody(error: AppError, requestId: string): HubSpotErrorBody {
  const body: HubSpotErrorBody = {
    status: 'error',
    message: error.message,
    correlationId: requestId,
    category: categoryOf(statusOf(error.code)),
    code: error.code,
  };
  if (error.details.length > 0) {
    body.errors = error.details.map((d) => ({
      message: d.message,
      ...(d.field === undefined ? {} : { context: { propertyName: [d.field] } }),
    }));
  }
  return body;
}

function categoryOf(status: number): string {
  switch (status) {
    case 401:
      return 'INVALID_AUTHENTICATION';
    case 403:
      return 'MISSING_SCOPES';
    case 404:
      return 'OBJECT_NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 429:
      return 'RATE_LIMITS';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
  }
}
