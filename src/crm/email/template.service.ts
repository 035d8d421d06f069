import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError, type ErrorDetail } from '../../kernel/errors.js';
import type { DB } from '../../storage/schema.js';
import { loadSchema } from '../properties/schema.js';
import { timeId } from '../workflows/workflow.service.js';
import { mergeFields, mergeScopes, scopeType } from './render.js';
import type { EmailTemplateRow } from './template.table.js';

export interface EmailTemplate {
  id: string;
  name: string;
  subject: string;
  body: string;
  html: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateInput {
  name: string;
  subject: string;
  body: string;
  html?: boolean | undefined;
}

const toTemplate = (row: EmailTemplateRow): EmailTemplate => ({
  id: row.id,
  name: row.name,
  subject: row.subject,
  body: row.body,
  html: row.html === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Merge fields must name a known scope (contact, company, deal) and a property of its type,
 * so a typo is caught when the template is saved rather than rendering blank in a sent mail.
 */
export async function checkMergeFields(
  db: Kysely<DB>,
  texts: Record<string, string>,
): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const [field, text] of Object.entries(texts)) {
    for (const f of mergeFields(text)) {
      const type = scopeType(f.scope);
      if (!type) {
        problems.push({
          field,
          message: `{{${f.scope}.${f.property}}}: unknown merge scope; use ${Object.keys(mergeScopes).join(', ')}`,
        });
      } else if (!(await loadSchema(db, type)).defs.has(f.property)) {
        problems.push({
          field,
          message: `{{${f.scope}.${f.property}}}: ${f.property} is not a property of ${type}`,
        });
      }
    }
  }
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw new AppError('validation_failed', `Unknown merge fields: ${summary}`, problems);
  }
}

const noSuchTemplate = (id: string, field = 'id') =>
  new AppError('not_found', `No e-mail template with id ${id}`, [{ field, message: 'not found' }]);

export async function getTemplate(
  deps: Pick<Deps, 'db'>,
  id: string,
  field?: string,
): Promise<EmailTemplate> {
  const row = await deps.db
    .selectFrom('crm_email_templates')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw noSuchTemplate(id, field);
  return toTemplate(row);
}

export async function listTemplates(deps: Pick<Deps, 'db'>): Promise<EmailTemplate[]> {
  const rows = await deps.db.selectFrom('crm_email_templates').selectAll().orderBy('id').execute();
  return rows.map(toTemplate);
}

export async function createTemplate(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: TemplateInput,
): Promise<EmailTemplate> {
  await checkMergeFields(deps.db, { subject: input.subject, body: input.body });
  const now = deps.clock.now();
  const row = {
    id: timeId('etpl', now),
    name: input.name,
    subject: input.subject,
    body: input.body,
    html: input.html ? 1 : 0,
    created_at: iso(now),
    updated_at: iso(now),
  };
  await deps.db.insertInto('crm_email_templates').values(row).execute();
  return toTemplate(row);
}

export async function updateTemplate(
  deps: Pick<Deps, 'db' | 'clock'>,
  id: string,
  patch: Partial<TemplateInput>,
): Promise<EmailTemplate> {
  const current = await getTemplate(deps, id);
  const next = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
  };
  await checkMergeFields(deps.db, { subject: next.subject, body: next.body });
  await deps.db
    .updateTable('crm_email_templates')
    .set({
      name: next.name,
      subject: next.subject,
      body: next.body,
      html: next.html ? 1 : 0,
      updated_at: iso(deps.clock.now()),
    })
    .where('id', '=', id)
    .execute();
  return getTemplate(deps, id);
}

export async function deleteTemplate(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  await getTemplate(deps, id);
  await deps.db.deleteFrom('crm_email_templates').where('id', '=', id).execute();
}
