import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConsoleHarness,
  expectLabelled,
  expectNoProblems,
  screenshot,
  setupTimeoutMs,
  startConsoleHarness,
} from './harness.js';

let h: ConsoleHarness;
let smtp: SMTPServer;
const inbox: { to: string[]; raw: string }[] = [];
let grace: string;
let linus: string;

const contact = async (properties: Record<string, string>) => {
  const res = await h.api('/crm/v3/objects/contacts', { method: 'POST', body: { properties } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
};

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
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  h = await startConsoleHarness({ crm: { smtpUrl: `smtp://127.0.0.1:${port}` } });
  const template = await h.api('/api/v1/crm/email-templates', {
    method: 'POST',
    body: {
      name: 'Demo follow-up',
      subject: 'Your demo, {{contact.firstname|there}}',
      body: 'Hi {{contact.firstname|there}}, thanks for your time today.',
    },
  });
  expect(template.status).toBe(201);
  grace = await contact({ email: 'grace@example.com', firstname: 'Grace', lastname: 'Hopper' });
  linus = await contact({ email: 'linus@example.com', firstname: 'Linus', lastname: 'Pauling' });
  const refused = await h.api('/api/v1/profiles/email:linus@example.com/consents', {
    method: 'PUT',
    body: { decisions: [{ purpose: 'marketing', channel: 'email', granted: false }] },
  });
  expect(refused.status).toBeLessThan(300);
}, setupTimeoutMs);
afterAll(async () => {
  await h?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('templated e-mail to a contact', () => {
  it('sends a template from the contact page and logs it on the timeline', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    await h.logIn(tracked, await h.userOf('sales'), `/contacts/${grace}`);
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    await page.getByLabel('Template').selectOption({ label: 'Demo follow-up' });
    expect(await page.getByTestId('template-preview').textContent()).toContain(
      'Your demo, {{contact.firstname|there}}',
    );
    await expectLabelled(page);
    await page.getByRole('button', { name: 'Send to grace@example.com' }).click();
    await page.getByText('Sent and logged on the timeline.').waitFor();
    const timeline = page.getByRole('list', { name: 'Activities, newest first' });
    await timeline.getByText('Your demo, Grace').waitFor();
    expect(await timeline.textContent()).toContain('Hi Grace, thanks for your time today.');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.to).toEqual(['grace@example.com']);
    await screenshot(page, 'contact-email');
    expectNoProblems(tracked);
  });

  it('shows the refusal when the contact refused e-mail, and sends nothing', async () => {
    const tracked = await h.open();
    const { page } = tracked;
    tracked.allow(409, '/api/v1/crm/emails');
    await h.logIn(tracked, await h.userOf('support'), `/contacts/${linus}`);
    await page.getByRole('heading', { name: 'Linus Pauling', level: 1 }).waitFor();
    await page.getByLabel('Subject').fill('About your ticket');
    await page.getByLabel('Message').fill('We fixed it.');
    await page.getByRole('button', { name: 'Send to linus@example.com' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('refused e-mail');
    expect(await alert.textContent()).toContain('(consent_required)');
    expect(inbox).toHaveLength(1);
    expectNoProblems(tracked);
  });
});
