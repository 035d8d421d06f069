import type { AppError } from '../kernel/errors.js';

/**
 * The error body of Segment's Profile API (`{"error": {"code", "message"}}`), so clients written
 * for it read Triad's errors unchanged. `code` is Triad's stable code; the request ID is added
 * for support.
 */
export interface SegmentErrorBody {
  error: { code: string; message: string };
  requestId: string;
}

export function segmentErrorBody(error: AppError, requestId: string): SegmentErrorBody {
  return { error: { code: error.code, message: error.message }, requestId };
}
