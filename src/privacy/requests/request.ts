import type { Identifier } from './subject.js';

export const requestTypes = ['access', 'erase', 'suppress'] as const;
export type RequestType = (typeof requestTypes)[number];

export const requestStatuses = ['pending', 'running', 'completed', 'failed'] as const;
export type RequestStatus = (typeof requestStatuses)[number];

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

/** A request as the list shows it: its receipts counted by status. */
export interface PrivacyRequestSummary extends Omit<PrivacyRequestView, 'receipts'> {
  receipts: Record<Receipt['status'], number>;
}

export interface NewPrivacyRequest {
  type: RequestType;
  identity: Identifier;
}
