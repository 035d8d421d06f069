import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordConsent } from '../../src/privacy/index.js';
import { createTestApp, problemOf, type TestApp } from '../helpers/app.js';
import { crmClient } from './helpers.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const inbox: Received[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

/** The decoded parts of a MIME message: enough of RFC 2045 for what nodemailer writes. */
function parse(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const split = (block: string) => {
    const at = block.indexOf('\r\n\r\n');
    const head = block.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { headers, body: block.slice(at + 4) };
  };
  const decode = (headers: Record<string, string>, body: string) => {
    const encoding = headers['content-transfer-encoding']?.toLowerCase();
    if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
    if (encoding === 'quoted-printable') {
      const bytes = body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) =>
          String.fromCharCode(Number.parseInt(hex, 16)),
        );
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  };
  const top = split(raw);
  const out = { headers: top.headers, text: '', html: '' };
  const type = top.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  const parts = boundary
    ? top.body
        .split(`--${boundary}`)
        .slice(1, -1)
        .map((p) => split(p.replace(/^\r\n/, '')))
    : [top];
  for (const part of parts) {
    const content = decode(part.headers, part.body).replace(/\r\n$/, '').replace(/\r\n/g, '\n');
    if ((part.headers['content-type'] ?? 'text/plain').startsWith('text/html')) out.html = content;
    else out.text = content;
  }
  return out;
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  inbox.length = 0;
});

async function setup(opts: { smtp?: boolean } = {}) {
  t = await createTestApp({
    crm: opts.smtp === false ? {} : { smtpUrl: `smtp://127.0.0.1:${smtpPort}?from=crm@triad.test` },
  });
  const call = crmClient(t);
  const create = async (type: string, properties: Record<string, string>) => {
    const r = await call('POST', `/crm/v3/objects/${type}`, { properties });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  return { call, create, db: t.testStore.store.db };
}

describe('one-to-one email', () => {
  it('renders a template, sends it over SMTP and logs it on every record given', async () => {
    const s = await setup();
    const contactId = await s.create('contacts', { email: 'ada@example.test', firstname: 'Ada' });
    const companyId = await s.create('companies', {
      name: 'Engines & Sons',
      domain: 'engines.test',
    });
    const dealId = await s.create('deals', { dealname: 'Difference engine', amount: '1000' });
    const template = await s.call('POST', '/api/v1/crm/email-templates', {
      name: 'Intro',
      subject: 'About {{deal.dealname}}, {{contact.firstname|there}}',
      body: '<p>Hello {{contact.firstname|there}} at {{company.name}}, {{contact.jobtitle|friend}}</p>',
      html: true,
    });
    expect(template.statusCode, template.body).toBe(201);

    const sent = await s.call(
      'POST',
      '/api/v1/crm/emails',
      { contactId, templateId: template.json().id, dealId, companyId },
      'sales',
    );
    expect(sent.statusCode, sent.body).toBe(201);
    expect(inbox).toHaveLength(1);
    const mail = inbox[0] as Received;
    expect(mail.to).toEqual(['ada@example.test']);
    expect(mail.from).toBe('crm@triad.test');
    const parsed = parse(mail.raw);
    expect(parsed.headers.subject).toBe('About Difference engine, Ada');
    expect(parsed.html).toBe('<p>Hello Ada at Engines &amp; Sons, friend</p>');
    expect(parsed.text).toBe('Hello Ada at Engines & Sons, friend');

    const emailId = sent.json().emailId;
    const activity = await s.call(
      'GET',
      `/crm/v3/objects/emails/${emailId}?properties=hs_email_subject,hs_email_text,hs_email_direction,hs_timestamp`,
    );
    expect(activity.json().properties).toMatchObject({
      hs_email_subject: 'About Difference engine, Ada',
      hs_email_text: 'Hello Ada at Engines & Sons, friend',
      hs_email_direction: 'EMAIL',
    });
    expect(activity.json().properties.hs_timestamp).toMatch(/^\d{4}-/);
    for (const [type, id] of [
      ['contacts', contactId],
      ['companies', companyId],
      ['deals', dealId],
    ]) {
      const links = await s.call('GET', `/crm/v4/objects/${type}/${id}/associations/emails`);
      expect(
        links.json().results.map((r: { toObjectId: unknown }) => String(r.toObjectId)),
      ).toEqual([emailId]);
    }
  });

  it('sends an ad-hoc plain-text message', async () => {
    const s = await setup();
    const contactId = await s.create('contacts', { email: 'bob@example.test' });
    const sent = await s.call(
      'POST',
      '/api/v1/crm/emails',
      {
        contactId,
        subject: 'Hi {{contact.firstname|there}}',
        body: 'Plain <b>text</b> for {{contact.email}}',
      },
      'support',
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const parsed = parse(inbox[0]?.raw ?? '');
    expect(parsed.headers.subject).toBe('Hi there');
    expect(parsed.text).toBe('Plain <b>text</b> for bob@example.test');
    expect(parsed.html).toBe('');
  });

  it('refuses a contact who denied e-mail marketing, and allows one who never decided', async () => {
    const s = await setup();
    const denied = await s.create('contacts', { email: 'no@example.test' });
    const other = await s.create('contacts', { email: 'maybe@example.test' });
    await recordConsent(
      s.db,
      { type: 'email', value: 'no@example.test' },
      {
        purpose: 'marketing',
        channel: 'email',
        granted: false,
        source: 'api',
        recordedAt: '2026-01-01T00:00:00.000Z',
      },
    );
    const body = { subject: 'Hello', body: 'Hi' };
    const refused = await s.call('POST', '/api/v1/crm/emails', { contactId: denied, ...body });
    expect(refused.statusCode).toBe(409);
    expect(problemOf(refused).code).toBe('consent_required');
    const ok = await s.call('POST', '/api/v1/crm/emails', { contactId: other, ...body });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(inbox.map((m) => m.to[0])).toEqual(['maybe@example.test']);
  });

  it('refuses an erased contact (no e-mail address left)', async () => {
    const s = await setup();
    const contactId = await s.create('contacts', { firstname: 'Gone' });
    const r = await s.call('POST', '/api/v1/crm/emails', { contactId, subject: 'x', body: 'y' });
    expect(r.statusCode).toBe(409);
    expect(problemOf(r).code).toBe('subject_erased');
    expect(inbox).toHaveLength(0);
  });

  it('answers smtp_not_configured without TRIAD_SMTP_URL', async () => {
    const s = await setup({ smtp: false });
    const contactId = await s.create('contacts', { email: 'c@example.test' });
    const r = await s.call('POST', '/api/v1/crm/emails', { contactId, subject: 'x', body: 'y' });
    expect(r.statusCode).toBe(409);
    expect(problemOf(r).code).toBe('smtp_not_configured');
  });

  it.each([
    [{ contactId: '999999', subject: 'x', body: 'y' }, 404, 'contactId'],
    [{ contactId: 'abc', subject: 'x', body: 'y' }, 404, 'contactId'],
    [{ contactId: 'CONTACT', templateId: 'etpl_nope' }, 404, 'templateId'],
    [{ contactId: 'CONTACT', subject: 'x' }, 400, 'body'],
    [{ contactId: 'CONTACT', subject: 'x', body: '{{contact.shoe_size}}' }, 400, 'body'],
    [{ contactId: 'CONTACT', subject: 'x', body: 'y', dealId: '999999' }, 404, 'dealId'],
  ])('refuses %j with %i naming %s', async (input, status, field) => {
    const s = await setup();
    const contactId = await s.create('contacts', { email: 'e@example.test' });
    const body = {
      ...input,
      contactId: input.contactId === 'CONTACT' ? contactId : input.contactId,
    };
    const r = await s.call('POST', '/api/v1/crm/emails', body);
    expect(r.statusCode).toBe(status);
    expect(problemOf(r).errors?.map((e) => e.field)).toContain(field);
    expect(inbox).toHaveLength(0);
  });

  it('manages templates and checks their merge fields', async () => {
    const s = await setup();
    const bad = await s.call('POST', '/api/v1/crm/email-templates', {
      name: 'Bad',
      subject: '{{planet.name}}',
      body: '{{contact.nope}}',
    });
    expect(bad.statusCode).toBe(400);
    expect(problemOf(bad).errors?.map((e) => e.field)).toEqual(['subject', 'body']);
    const made = (
      await s.call(
        'POST',
        '/api/v1/crm/email-templates',
        { name: 'T', subject: 's', body: 'b' },
        'support',
      )
    ).json();
    const patched = await s.call('PATCH', `/api/v1/crm/email-templates/${made.id}`, {
      body: 'Hi {{company.name}}',
    });
    expect(patched.json()).toMatchObject({ name: 'T', body: 'Hi {{company.name}}', html: false });
    expect((await s.call('GET', '/api/v1/crm/email-templates')).json().data).toHaveLength(1);
    expect((await s.call('DELETE', `/api/v1/crm/email-templates/${made.id}`)).statusCode).toBe(204);
    expect((await s.call('GET', `/api/v1/crm/email-templates/${made.id}`)).statusCode).toBe(404);
    expect(
      (await s.call('GET', '/api/v1/crm/email-templates', undefined, 'marketer')).statusCode,
    ).toBe(403);
  });
});
