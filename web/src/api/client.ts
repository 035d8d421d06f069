/** An RFC 9457 problem answered by the API, with its stable `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: { field?: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface ProblemShape {
  code?: unknown;
  /** The CRM answers in HubSpot's error shape: `message` instead of `detail`. */
  message?: unknown;
  detail?: unknown;
  title?: unknown;
  errors?: unknown;
}

async function problemOf(response: Response): Promise<ApiError> {
  let body: ProblemShape = {};
  try {
    body = (await response.json()) as ProblemShape;
  } catch {
    // Not JSON (a proxy's error page): the status alone has to do.
  }
  const detail =
    typeof body.detail === 'string'
      ? body.detail
      : typeof body.message === 'string'
        ? body.message
        : typeof body.title === 'string'
          ? body.title
          : `The server answered ${response.status}`;
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : 'unknown',
    detail,
    Array.isArray(body.errors) ? (body.errors as { field?: string; message: string }[]) : [],
  );
}

export type Query = Record<string, string | number | boolean | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/**
 * Calls the public HTTP API with the session cookie (same origin). Failures become ApiError;
 * 204 answers resolve to undefined.
 */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
