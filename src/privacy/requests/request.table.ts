/** Key-value settings of the privacy model (the digest salt lives here). */
export interface PrivacySettingTable {
  key: string;
  value: string;
  updated_at: string;
}

/** A data subject request: access, erase or suppress. */
export interface PrivacyRequestTable {
  id: string;
  type: string;
  identity_type: string;
  /** The identifier as given; cleared when an erase or suppress request completes. */
  identity_value: string | null;
  /** Salted digest of the identifier: matches later requests without keeping it in clear. */
  identity_digest: string;
  /** `pending`, `running`, `completed` or `failed`. */
  status: string;
  actor: string;
  http_request_id: string | null;
  attempts: number;
  /** The access document (JSON), for access requests once complete. */
  document: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** What one store did for one request. */
export interface PrivacyReceiptTable {
  request_id: string;
  store: string;
  /** `pending`, `completed` or `failed`. */
  status: string;
  found: number;
  affected: number;
  /** JSON: store-specific notes (e.g. destinations that cannot take deletions). */
  detail: string | null;
  updated_at: string;
}

/** An identifier that must never be ingested again, as a salted digest. */
export interface PrivacySuppressionTable {
  digest: string;
  identity_type: string;
  request_id: string;
  created_at: string;
}

export interface PrivacyRequestTables {
  privacy_settings: PrivacySettingTable;
  privacy_requests: PrivacyRequestTable;
  privacy_request_receipts: PrivacyReceiptTable;
  privacy_suppressions: PrivacySuppressionTable;
}
