import type { Selectable } from 'kysely';

export interface EmailTemplateTable {
  id: string;
  name: string;
  subject: string;
  body: string;
  /** 1 when `body` is HTML (merge values are then escaped), 0 for plain text. */
  html: number;
  created_at: string;
  updated_at: string;
}

export type EmailTemplateRow = Selectable<EmailTemplateTable>;
