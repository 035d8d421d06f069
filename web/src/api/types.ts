/** Shapes of the public API's answers (see /openapi.json); the console reads nothing else. */

export const roles = ['admin', 'marketer', 'sales', 'support', 'advertiser', 'analyst'] as const;
export type Role = (typeof roles)[number];

export interface Page<T> {
  data: T[];
  next: string | null;
}

export interface Me {
  kind: 'user' | 'token';
  id: string;
  role: Role;
  email?: string;
  name?: string;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
  disabled: boolean;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revoked: boolean;
}

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  token: string;
}

export interface Source {
  id: string;
  name: string;
  writeKey: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export const eventTypes = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

export interface StoredEvent {
  seq: number;
  sourceId: string;
  messageId: string;
  type: string;
  event: string | null;
  userId: string | null;
  anonymousId: string | null;
  timestamp: string;
  receivedAt: string;
  payload: unknown;
}

export interface RejectedEvent {
  seq: number;
  sourceId: string;
  messageId: string | null;
  code: string;
  reason: string;
  receivedAt: string;
  payload: unknown;
}
