import type { LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/access/roles.js';
import { bearer, type TestApp } from '../helpers/app.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A small client over inject(): `call('POST', url, body, role)`. */
export function crmClient(t: TestApp) {
  return async function call(
    method: Method,
    url: string,
    payload?: unknown,
    role: Role = 'admin',
  ): Promise<LightMyRequestResponse> {
    const headers = bearer(await t.tokenFor(role));
    return t.app.inject({
      method,
      url,
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  };
}

/** Asserts HubSpot's error shape and returns it. */
export function hubspotError(response: LightMyRequestResponse): {
  status: string;
  message: string;
  category: string;
  correlationId: string;
  errors?: { message: string; context?: { propertyName?: string[] } }[];
} {
  const body = response.json();
  if (body.status !== 'error' || typeof body.correlationId !== 'string') {
    throw new Error(`not a HubSpot error body: ${response.body.slice(0, 300)}`);
  }
  return body;
}

/** Property names the error body points at. */
export function namedFields(response: LightMyRequestResponse): string[] {
  return (hubspotError(response).errors ?? []).flatMap((e) => e.context?.propertyName ?? []);
}
