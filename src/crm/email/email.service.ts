import type { Kysely } from 'kysely';
import { iso } from '../../kernel/clock.js';
import type { Deps } from '../../kernel/deps.js';
import { AppError } from '../../kernel/errors.js';
import { type ConsentDecision, consentAllows, consentsFor } from '../../privacy/index.js';
import type { DB } from '../../storage/schema.js';
import type { Actor, CrmRecord } from '../objects/object.js';
import { createRecord, findRecord } from '../objects/object.service.js';
import type { ObjectType } from '../objects/object-types.js';
import type { CrmRuntime } from '../runtime.js';
import { htmlToText, type MergeValues, renderTemplate } from './render.js';
import { checkMergeFields, getTemplate } from './template.service.js';

export interface SendEmailInput {
  contactId: string;
  templateId?: string | undefined;
  subject?: string | undefined;
  body?: string | undefined;
  html?: boolean | undefined;
  dealId?: string | undefined;
  companyId?: string | undefined;
}

export interface SentEmail {
  /** The logged `emails` activity. */
  emailId: string;
  messageId: string;
  to: string;
  subject: string;
  text: string;
  associated: { objectType: ObjectType; id: string }[];
}

async function requireRecord(
  db: Kysely<DB>,
  type: ObjectType,
  raw: string,
  field: string,
): Promise<CrmRecord> {
  const id = Number(raw);
  const record =
    /^\d+$/.test(raw) && Number.isSafeInteger(id) ? await findRecord(db, type, id) : undefined;
  if (!record) {
    throw new AppError('not_found', `No ${type} record with id ${raw}`, [
      { field, message: `${raw} was not found` },
    ]);
  }
  return record;
}

/**
 * Whether a contact was erased. The hook where an erasure marker plugs in: today an erased
 * contact is one whose e-mail address is gone (anonymization removes it), which also makes it
 * unmailable.
 */
export function isErased(contact: CrmRecord): boolean {
  return !contact.properties.email;
}

/**
 * One-to-one sales e-mail needs no marketing opt-in, but it must respect an opt-out: only an
 * explicit refusal of `marketing` (for e-mail, or for every channel) blocks it. With no
 * decision on record, sending is allowed.
 */
export function emailRefused(decisions: ConsentDecision[]): boolean {
  const relevant = decisions.some(
    (d) => d.purpose === 'marketing' && (d.channel === 'email' || d.channel === '*'),
  );
  return relevant && !consentAllows(decisions, 'marketing', 'email');
}

async function content(
  deps: Pick<Deps, 'db'>,
  input: SendEmailInput,
): Promise<{ subject: string; body: string; html: boolean }> {
  if (input.templateId !== undefined) {
    const template = await getTemplate(deps, input.templateId, 'templateId');
    return { subject: template.subject, body: template.body, html: template.html };
  }
  if (input.subject === undefined || input.body === undefined) {
    throw new AppError('validation_failed', 'Give a templateId, or a subject and a body', [
      {
        field: input.subject === undefined ? 'subject' : 'body',
        message: 'required without templateId',
      },
    ]);
  }
  await checkMergeFields(deps.db, { subject: input.subject, body: input.body });
  return { subject: input.subject, body: input.body, html: input.html ?? false };
}

/**
 * Renders and sends an e-mail to a contact, then logs it as an `emails` activity associated
 * with the contact and with the deal and company given. Refused before anything is sent when
 * SMTP is not configured, the contact was erased, or the contact refused e-mail marketing.
 */
export async function sendEmail(
  deps: Pick<Deps, 'db' | 'clock'> & { crm: CrmRuntime },
  input: SendEmailInput,
  actor: Actor & { email?: string | undefined; isUser: boolean },
): Promise<SentEmail> {
  const mail = deps.crm.mail;
  if (!mail) {
    throw new AppError('smtp_not_configured', 'E-mail sending is off: TRIAD_SMTP_URL is not set');
  }
  const message = await content(deps, input);
  const contact = await requireRecord(deps.db, 'contacts', input.contactId, 'contactId');
  const company = input.companyId
    ? await requireRecord(deps.db, 'companies', input.companyId, 'companyId')
    : undefined;
  const deal = input.dealId
    ? await requireRecord(deps.db, 'deals', input.dealId, 'dealId')
    : undefined;
  const to = contact.properties.email;
  if (isErased(contact) || !to) {
    throw new AppError('subject_erased', `Contact ${contact.id} has no e-mail address (erased)`, [
      { field: 'contactId', message: 'not mailable' },
    ]);
  }
  const decisions = await consentsFor(deps.db, [{ type: 'email', value: to.toLowerCase() }]);
  if (emailRefused(decisions)) {
    throw new AppError('consent_required', `${to} refused e-mail (marketing consent denied)`, [
      { field: 'contactId', message: 'e-mail refused by the contact' },
    ]);
  }

  const values: MergeValues = {
    contact: contact.properties,
    ...(company ? { company: company.properties } : {}),
    ...(deal ? { deal: deal.properties } : {}),
  };
  const subject = renderTemplate(message.subject, values, false).replace(/[\r\n]+/g, ' ');
  const rendered = renderTemplate(message.body, values, message.html);
  const text = message.html ? htmlToText(rendered) : rendered;
  let messageId: string;
  try {
    ({ messageId } = await mail.mailer.send({
      from: mail.from,
      replyTo: actor.email,
      to,
      subject,
      text,
      ...(message.html ? { html: rendered } : {}),
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('unavailable', `The SMTP server did not accept the message: ${reason}`);
  }

  const targets = [contact, company, deal].filter((r): r is CrmRecord => r !== undefined);
  const properties: Record<string, string> = {
    hs_email_subject: subject,
    hs_email_text: text,
    hs_email_direction: 'EMAIL',
    hs_email_status: 'SENT',
    hs_timestamp: iso(deps.clock.now()),
    hs_email_headers: JSON.stringify({
      from: { email: mail.from },
      to: [{ email: to }],
      messageId,
    }),
  };
  if (message.html) properties.hs_email_html = rendered;
  if (actor.isUser) properties.hubspot_owner_id = actor.id;
  const activity = await createRecord(
    deps,
    'emails',
    { properties, associations: targets.map((r) => ({ to: { id: String(r.id) }, types: [] })) },
    actor,
  );
  return {
    emailId: String(activity.id),
    messageId,
    to,
    subject,
    text,
    associated: targets.map((r) => ({ objectType: r.type, id: String(r.id) })),
  };
}
