import type { Identifier } from './subject.js';

export const requestTypes = ['access', 'erase', 'suppress'] as const;
export type RequestType = (typeof requestTypes)[number];

export type RequestStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface Receipt {
  store: string;
  status: 'pending' | 'completed' | 'failed';
  found: number;
  affected: number;
  detail: Record<string, unknown> | null;
  updatedAt: string;
}

/** A request as the API shows it; the identifier's value is never echoed back. */
export interface PrivacyRequestView {
  id: string;
  type: RequestType;
  identityType: string;
  status: RequestStatus;
  attempts: number;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  receipts: Receipt[];
}

export interface NewPrivacyRequest {
  type: RequestType;
  identity: Identifier;
}
