import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, withQuery } from '../../api/client';
import type { ApiToken, CreatedToken, Page, Role, User } from '../../api/types';

export function useUsers(cursor: string | undefined) {
  return useQuery({
    queryKey: ['users', cursor],
    queryFn: () => api<Page<User>>(withQuery('/api/v1/users', { cursor, limit: 50 })),
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role; name?: string; password?: string }) =>
      api<{ user: User; generatedPassword?: string }>('/api/v1/users', {
        method: 'POST',
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useTokens(includeRevoked: boolean, cursor: string | undefined) {
  return useQuery({
    queryKey: ['tokens', includeRevoked, cursor],
    queryFn: () =>
      api<Page<ApiToken>>(
        withQuery('/api/v1/tokens', {
          cursor,
          limit: 50,
          includeRevoked: includeRevoked ? true : undefined,
        }),
      ),
  });
}

export function useTokenMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: ['tokens'] });
  return {
    create: useMutation({
      mutationFn: (input: { name: string; role: Role }) =>
        api<CreatedToken>('/api/v1/tokens', { method: 'POST', body: input }),
      onSuccess: refresh,
    }),
    revoke: useMutation({
      mutationFn: (id: string) =>
        api<undefined>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  };
}
