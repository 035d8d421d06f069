import { describe, expect, it } from 'vitest';
import { AppError, errorCodes } from '../kernel/errors.js';
import { problemBody, statusOf, toAppError } from './problem.js';

describe('problem details', () => {
  it('maps every error code to a status, and only internal/unavailable to 5xx', () => {
    for (const code of errorCodes) {
      const status = statusOf(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status >= 500).toBe(code === 'internal' || code === 'unavailable');
    }
  });

  it('builds an RFC 9457 body with the stable code and request id', () => {
    const body = problemBody(
      new AppError('conflict', 'already there', [{ field: 'email', message: 'taken' }]),
      'req_1',
      '/x',
    );
    expect(body).toEqual({
      type: 'urn:triad:problem:conflict',
      title: 'Conflict',
      status: 409,
      code: 'conflict',
      detail: 'already there',
      instance: '/x',
      requestId: 'req_1',
      errors: [{ field: 'email', message: 'taken' }],
    });
  });

  it('turns unknown errors into internal errors without their message', () => {
    const error = toAppError(new Error('db password is hunter2'));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('hunter2');
  });

  it.each(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])(
    'turns a unique-constraint race (%s) into a 409 conflict',
    (code) => {
      expect(toAppError(Object.assign(new Error('duplicate key'), { code })).code).toBe('conflict');
    },
  );

  it('keeps 4xx errors raised by the framework as 4xx', () => {
    expect(
      toAppError(
        Object.assign(new Error('too big'), {
          code: 'FST_ERR_CTP_BODY_TOO_LARGE',
          statusCode: 413,
        }),
      ).code,
    ).toBe('payload_too_large');
    expect(toAppError(Object.assign(new Error('nope'), { statusCode: 405 })).code).toBe(
      'method_not_allowed',
    );
  });
});
