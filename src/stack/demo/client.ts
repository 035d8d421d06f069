/** What the generator needs from `fetch`: the global one fits, and so does a recording stub. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** A refusal the command prints as one line (server down, bad token, store not empty...). */
export class DemoError extends Error {
  override name = 'DemoError';
}

export interface Answer {
  status: number;
  body: unknown;
  setCookie: string | null;
}

type Auth = { bearer: string } | { writeKey: string } | { cookie?: string };

/** A thin HTTP client over Triad's public API; every non-2xx answer is an error unless allowed. */
export class DemoClient {
  requests = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchFn: FetchLike,
  ) {}

  async call(
    method: string,
    path: string,
    opts: { body?: unknown; auth?: Auth; allow?: number[] } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const auth = opts.auth ?? { bearer: this.token };
    if ('bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
    else if ('writeKey' in auth)
      headers.authorization = `Basic ${Buffer.from(`${auth.writeKey}:`).toString('base64')}`;
    else if (auth.cookie) headers.cookie = auth.cookie;
    const init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers,
    };
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      this.requests++;
      response = await this.fetchFn(`${this.baseUrl}${path}`, init);
    } catch (error) {
      throw new DemoError(
        `cannot reach Triad at ${this.baseUrl} (${(error as Error).message}); is it running (npm start)?`,
      );
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // Pixels answer GIFs; keep the text.
    }
    const ok = response.status >= 200 && response.status < 300;
    if (!ok && !(opts.allow ?? []).includes(response.status)) {
      const detail =
        typeof body === 'object' && body !== null && 'detail' in body
          ? String((body as { detail: unknown }).detail)
          : text.slice(0, 200);
      throw new DemoError(`${method} ${path} answered ${response.status}: ${detail}`);
    }
    return { status: response.status, body, setCookie: response.headers.get('set-cookie') };
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.call(method, path, body === undefined ? {} : { body })).body as T;
  }
}

/** Runs `work` over `items` with at most `width` calls in flight. */
export async function inParallel<T>(
  items: readonly T[],
  width: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
