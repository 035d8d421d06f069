/**
 * Who a person or token is allowed to be. `admin` may do everything; every other role is
 * listed explicitly on the routes it may call.
 */
export const roles = ['admin', 'marketer', 'sales', 'support', 'advertiser', 'analyst'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** The identity behind a request, once its credentials have been checked. */
export type Principal =
  | { kind: 'user'; id: string; role: Role; email: string; sessionId: string }
  | { kind: 'token'; id: string; role: Role; name: string };
