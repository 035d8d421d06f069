import { useSession } from './session';
import type { Role } from './types';

/** The signed-in role (pages render only inside the shell, where a session exists). */
export function useRole(): Role {
  return useSession().data?.role ?? 'analyst';
}
