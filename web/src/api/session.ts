import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type { Me, User } from './types';

export const sessionKey = ['session'] as const;

/**
 * The server marks the console page with whether a session cookie came with it (the cookie is
 * HttpOnly, so the page cannot look). Without one, asking who is logged in would only earn a
 * 401; the login form is shown straight away instead.
 */
function serverSaysSignedOut(): boolean {
  const meta = document.querySelector('meta[name="triad-session"]');
  return meta?.getAttribute('content') === 'none';
}

let assumeSignedOut = serverSaysSignedOut();

/** Who is logged in: `null` when nobody is. */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Me | null> => {
      if (assumeSignedOut) return null;
      try {
        return await api<Me>('/api/v1/session');
      } catch (error) {
        // The session ended between loading the page and asking (or the page came from a
        // development server that cannot tell): show the login form.
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useLogIn() {
  const client = useQueryClient();
  return async (email: string, password: string): Promise<Me> => {
    const { user } = await api<{ user: User }>('/api/v1/session', {
      method: 'POST',
      body: { email, password },
    });
    const me: Me = {
      kind: 'user',
      id: user.id,
      role: user.role,
      email: user.email,
      ...(user.name ? { name: user.name } : {}),
    };
    assumeSignedOut = false;
    client.setQueryData(sessionKey, me);
    return me;
  };
}

export function useLogOut() {
  const client = useQueryClient();
  return async () => {
    await api<undefined>('/api/v1/session', { method: 'DELETE' });
    assumeSignedOut = true;
    client.setQueryData(sessionKey, null);
    // Nothing read under this session may be shown to the next person at this screen. (The
    // session query itself stays: the login gate is subscribed to it.)
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
  };
}
